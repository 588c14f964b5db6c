"""Value objects describing what to render: the physical print spec, where it sits on a mockup, text layers.

Pure data (no Django models), validated on construction so bad input fails early with a ValueError.
"""

from dataclasses import dataclass
from math import atan2

from PIL import ImageColor

MM_PER_INCH = 25.4
POINTS_PER_INCH = 72
BLEND_MODES = ("normal", "multiply", "engrave")


def mm_to_px(mm: float, dpi: float) -> int:
    return round(mm / MM_PER_INCH * dpi)


def mm_to_points(mm: float) -> float:
    return mm / MM_PER_INCH * POINTS_PER_INCH


@dataclass(frozen=True)
class PrintSpec:
    """A print area's physical size (trim, in mm) plus bleed and safe margins, printed at `dpi`."""

    width_mm: float
    height_mm: float
    dpi: int = 300
    bleed_mm: float = 3.0
    safe_mm: float = 3.0

    def __post_init__(self):
        if self.width_mm <= 0 or self.height_mm <= 0:
            raise ValueError("Print size must be positive.")
        if not 36 <= self.dpi <= 1200:
            raise ValueError("DPI must be between 36 and 1200.")
        if self.bleed_mm < 0 or self.safe_mm < 0:
            raise ValueError("Bleed and safe margins cannot be negative.")

    def page_mm(self) -> tuple[float, float]:
        """Physical page (trim + bleed on every side) in mm."""
        return (self.width_mm + 2 * self.bleed_mm, self.height_mm + 2 * self.bleed_mm)

    def canvas_px(self) -> tuple[int, int]:
        """Pixel size of the print file: the page at the target DPI."""
        width, height = self.page_mm()
        return (mm_to_px(width, self.dpi), mm_to_px(height, self.dpi))

    def aspect(self) -> float:
        """Width / height of the page (what artwork should be generated at)."""
        width, height = self.page_mm()
        return width / height

    def safe_box(self) -> tuple[float, float, float, float]:
        """(left, top, right, bottom) of the safe zone (bleed + safe margin inside the page edge), as
        fractions of the page: what must be printed lies within it."""
        width, height = self.page_mm()
        inset = self.bleed_mm + self.safe_mm
        left, top = min(inset / width, 0.45), min(inset / height, 0.45)
        return (left, top, 1 - left, 1 - top)

    def trim_box_px(self) -> tuple[int, int, int, int]:
        """(left, top, right, bottom) of the trim area inside the canvas."""
        bleed = mm_to_px(self.bleed_mm, self.dpi)
        width, height = self.canvas_px()
        return (bleed, bleed, width - bleed, height - bleed)


@dataclass(frozen=True)
class Placement:
    """The print area on a mockup: a polygon in mockup pixels.

    Four points forming a convex quadrilateral, in any order, get the artwork perspective-warped into
    them (upright: its top edge is the one nearest the top-left point); any other polygon is filled
    through its bounding box and clipped to its outline.
    """

    points: tuple[tuple[float, float], ...]
    blend_mode: str = "normal"

    def __post_init__(self):
        points = tuple((float(x), float(y)) for x, y in self.points)
        if len(points) < 3:
            raise ValueError("A print area needs at least 3 points.")
        if self.blend_mode not in BLEND_MODES:
            raise ValueError(f"Unknown blend mode {self.blend_mode!r}.")
        object.__setattr__(self, "points", points)

    def scaled(self, factor: float) -> "Placement":
        return Placement(tuple((x * factor, y * factor) for x, y in self.points), self.blend_mode)

    def quad(self) -> tuple[tuple[float, float], ...] | None:
        """The corners clockwise from the top-left when the area is a convex quadrilateral, else None."""
        if len(self.points) != 4:
            return None
        cx = sum(x for x, _ in self.points) / 4
        cy = sum(y for _, y in self.points) / 4
        ring = sorted(self.points, key=lambda point: atan2(point[1] - cy, point[0] - cx))
        turns = [_turn(ring[index - 2], ring[index - 1], ring[index]) for index in range(4)]
        if not all(turn > 0 for turn in turns):
            return None
        start = min(range(4), key=lambda index: ring[index][0] + ring[index][1])
        return tuple(ring[start:] + ring[:start])

    def bbox(self) -> tuple[float, float, float, float]:
        xs = [x for x, _ in self.points]
        ys = [y for _, y in self.points]
        return (min(xs), min(ys), max(xs), max(ys))


def _turn(a, b, c) -> float:
    """Positive when a -> b -> c turns clockwise on screen (y pointing down)."""
    return (b[0] - a[0]) * (c[1] - b[1]) - (b[1] - a[1]) * (c[0] - b[0])


def _fraction_check(x: float, y: float) -> None:
    if not (0 <= x <= 1 and 0 <= y <= 1):
        raise ValueError("A layer's centre must be within the print area (0 to 1).")


def _rotation_check(rotation: float) -> None:
    if not -180 <= rotation <= 180:
        raise ValueError("Rotation must be between -180 and 180 degrees.")


@dataclass(frozen=True)
class Transform:
    """Where an image layer sits: its centre (x, y) as fractions of the page, its scale (1 = the
    artwork covering the page, the photo contained in it) and its clockwise rotation in degrees."""

    x: float = 0.5
    y: float = 0.5
    scale: float = 1.0
    rotation: float = 0.0

    def __post_init__(self):
        _fraction_check(self.x, self.y)
        if not 0.05 <= self.scale <= 4:
            raise ValueError("Scale must be between 0.05 and 4.")
        _rotation_check(self.rotation)

    def is_identity(self) -> bool:
        return self == Transform()


@dataclass(frozen=True)
class TextLayer:
    """A line of text; x/y (its centre) and size (its height) are fractions of the page, rotation
    is clockwise in degrees."""

    text: str
    font: str = "dejavu-sans"  # a key of apps.brands.fonts.FONTS
    color: str = "#000000"
    x: float = 0.5
    y: float = 0.85
    size: float = 0.08
    rotation: float = 0.0

    def __post_init__(self):
        if not self.text.strip():
            raise ValueError("Text layer is empty.")
        _fraction_check(self.x, self.y)
        _rotation_check(self.rotation)
        if not 0 < self.size <= 1:
            raise ValueError("Text size must be between 0 and 1 of the print area height.")
        try:
            ImageColor.getrgb(self.color)
        except ValueError:
            raise ValueError(f"Unknown text colour {self.color!r}.") from None

    def rgba(self) -> tuple[int, int, int, int]:
        return ImageColor.getcolor(self.color, "RGBA")
