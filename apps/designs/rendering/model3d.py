"""Textured product models as binary glTF 2.0 (.glb), built and packed with the standard library and Pillow.

Each shape is made of two primitives: the print surface (UV-mapped to the artwork, image embedded as PNG
in the binary chunk) and the product body (a plain material). Units are metres, Y up, the print faces +Z.
"""

import io
import json
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from math import cos, pi, sin

from PIL import Image

GLB_MAGIC = 0x46546C67  # "glTF"
CHUNK_JSON = 0x4E4F534A
CHUNK_BIN = 0x004E4942
ARRAY_BUFFER = 34962
ELEMENT_ARRAY_BUFFER = 34963
FLOAT, UNSIGNED_SHORT, UNSIGNED_INT = 5126, 5123, 5125
TEXTURE_MAX_PX = 2048
TEXTURE_COMPRESS_LEVEL = 1

Vec3 = tuple[float, float, float]


@dataclass
class Primitive:
    positions: list[Vec3] = field(default_factory=list)
    normals: list[Vec3] = field(default_factory=list)
    uvs: list[tuple[float, float]] = field(default_factory=list)
    indices: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Look:
    """Body colour (linear RGB) and roughness of the product, roughness of the printed surface."""

    body_color: Vec3
    body_roughness: float
    print_roughness: float


LOOKS = {
    "flat": Look((0.95, 0.95, 0.95), 0.8, 0.7),
    "mug": Look((0.92, 0.92, 0.92), 0.2, 0.25),
    "tshirt": Look((0.9, 0.9, 0.9), 0.95, 0.9),
    "tote": Look((0.8, 0.74, 0.6), 0.95, 0.9),
    "phone_case": Look((0.08, 0.08, 0.09), 0.4, 0.35),
}
SHAPES = tuple(LOOKS)
MUG_RADIUS = 0.041  # an 11 oz mug, 82 mm across
MUG_WRAP_MAX = 0.8  # a print goes at most 80 % of the way round: the handle needs the rest
MUG_HANDLE_CLEARANCE = 0.2  # radians kept free between the print's edge and a side handle
MUG_HANDLE_TUBE = 0.0045  # the handle is 9 mm thick


def render_glb(shape: str, texture: Image.Image, size_mm: tuple[float, float]) -> bytes:
    """A .glb of `shape` with `texture` on a print surface of `size_mm` (width, height)."""
    if shape not in LOOKS:
        raise ValueError(f"Unknown 3D shape {shape!r}; expected one of {', '.join(SHAPES)}.")
    width, height = (value / 1000 for value in size_mm)
    if width <= 0 or height <= 0:
        raise ValueError("Print size must be positive.")
    printed, body = Primitive(), Primitive()
    BUILDERS[shape](printed, body, width, height)
    return pack_glb(printed, body, LOOKS[shape], _texture_png(texture))


def _texture_png(texture: Image.Image) -> bytes:
    """The texture as an opaque PNG of at most TEXTURE_MAX_PX a side (what WebGL handles everywhere)."""
    image = texture.copy()
    # Bicubic: half the time of Lanczos on a 3024 px canvas, no visible difference on a 3D surface.
    image.thumbnail((TEXTURE_MAX_PX, TEXTURE_MAX_PX), Image.Resampling.BICUBIC)
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "PNG", compress_level=TEXTURE_COMPRESS_LEVEL)
    return buffer.getvalue()


# --- geometry -------------------------------------------------------------------------------------------

SurfaceFn = Callable[[float, float], tuple[Vec3, Vec3]]


def add_surface(prim: Primitive, surface: SurfaceFn, steps_u: int = 1, steps_v: int = 1, uv=None) -> None:
    """A parametric patch: surface(u, v) -> (position, outward normal) for u, v in [0, 1].

    Triangles are wound counter-clockwise seen from the normal's side. `uv` maps (u, v) to texture
    coordinates (default: (u, v) itself; v = 0 is the top of the image in glTF).
    """
    uv = uv or (lambda u, v: (u, v))
    start = len(prim.positions)
    for j in range(steps_v + 1):
        for i in range(steps_u + 1):
            position, normal = surface(i / steps_u, j / steps_v)
            prim.positions.append(position)
            prim.normals.append(normal)
            prim.uvs.append(uv(i / steps_u, j / steps_v))
    for j in range(steps_v):
        for i in range(steps_u):
            a = start + j * (steps_u + 1) + i
            quad = (a, a + steps_u + 1, a + steps_u + 2, a + 1)
            if not _faces_normal(prim, quad):
                quad = quad[::-1]
            prim.indices.extend((quad[0], quad[1], quad[2], quad[0], quad[2], quad[3]))


def _faces_normal(prim: Primitive, quad) -> bool:
    """Is the quad's winding counter-clockwise around its vertices' mean normal?"""
    p0, p1, p2, p3 = (prim.positions[index] for index in quad)
    diagonal_a, diagonal_b = _sub(p2, p0), _sub(p3, p1)
    face_normal = _cross(diagonal_a, diagonal_b)
    mean_normal = [sum(prim.normals[index][axis] for index in quad) for axis in range(3)]
    return sum(f * n for f, n in zip(face_normal, mean_normal, strict=True)) >= 0


def _sub(a: Vec3, b: Vec3) -> Vec3:
    return (a[0] - b[0], a[1] - b[1], a[2] - b[2])


def _cross(a: Vec3, b: Vec3) -> Vec3:
    return (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])


def add_rect(prim: Primitive, centre: Vec3, width: float, height: float) -> None:
    """An upright rectangle facing +Z, the image the right way up."""
    cx, cy, cz = centre

    def surface(u, v):
        return (cx + (u - 0.5) * width, cy + (0.5 - v) * height, cz), (0.0, 0.0, 1.0)

    add_surface(prim, surface)


def add_prism(prim: Primitive, outline: list[tuple[float, float]], z_back: float, z_front: float, front=None):
    """A convex outline (XY, metres, counter-clockwise) extruded between z_back and z_front.

    The front cap goes to `front` when given, its UVs spanning the outline's bounding box.
    """
    add_cap(front or prim, outline, z_front, facing=1.0)
    add_cap(prim, outline, z_back, facing=-1.0)
    for (x0, y0), (x1, y1) in zip(outline, outline[1:] + outline[:1], strict=True):
        side = _normalized((y1 - y0, x0 - x1, 0.0))

        def wall(u, v, x0=x0, y0=y0, x1=x1, y1=y1, side=side):
            return (x0 + (x1 - x0) * u, y0 + (y1 - y0) * u, z_front + (z_back - z_front) * v), side

        add_surface(prim, wall)


def add_cap(prim: Primitive, outline: list[tuple[float, float]], z: float, facing: float) -> None:
    """A convex polygon at depth z as a triangle fan, facing +Z or -Z, UVs from its bounding box."""
    xs, ys = [x for x, _ in outline], [y for _, y in outline]
    left, top, width, height = min(xs), max(ys), max(xs) - min(xs), max(ys) - min(ys)
    start = len(prim.positions)
    for x, y in outline:
        prim.positions.append((x, y, z))
        prim.normals.append((0.0, 0.0, facing))
        prim.uvs.append(((x - left) / width, (top - y) / height))
    for index in range(1, len(outline) - 1):
        second, third = (index, index + 1) if facing > 0 else (index + 1, index)
        prim.indices.extend((start, start + second, start + third))


def _normalized(vector: Vec3) -> Vec3:
    length = sum(c * c for c in vector) ** 0.5 or 1.0
    return (vector[0] / length, vector[1] / length, vector[2] / length)


def add_cylinder(prim, radius, y_top, y_bottom, angles, steps, inward=False, uv=None) -> None:
    """Part of a vertical cylinder; angle 0 faces +Z, angles grow towards +X."""
    start, end = angles
    sign = -1.0 if inward else 1.0

    def surface(u, v):
        angle = start + (end - start) * u
        normal = (sin(angle) * sign, 0.0, cos(angle) * sign)
        return (radius * sin(angle), y_top + (y_bottom - y_top) * v, radius * cos(angle)), normal

    add_surface(prim, surface, steps, 1, uv)


def add_ring(prim, inner: float, outer: float, y: float, up: bool, steps: int) -> None:
    """A flat annulus (a disc when inner is 0) at height y."""
    normal = (0.0, 1.0 if up else -1.0, 0.0)

    def surface(u, v):
        angle, radius = 2 * pi * u, inner + (outer - inner) * v
        return (radius * sin(angle), y, radius * cos(angle)), normal

    add_surface(prim, surface, steps, 1)


def add_tube_arc(prim, centre: Vec3, axis_angle: float, radius: float, tube: float, arc, steps=24) -> None:
    """A bent tube (part of a torus) in the vertical plane through `centre` at `axis_angle` around Y."""
    cx, cy, cz = centre
    outward = (sin(axis_angle), 0.0, cos(axis_angle))

    def surface(u, v):
        bend = arc[0] + (arc[1] - arc[0]) * u
        ring = 2 * pi * v
        direction = (outward[0] * cos(bend), sin(bend), outward[2] * cos(bend))
        side = (cos(axis_angle), 0.0, -sin(axis_angle))
        normal = tuple(d * cos(ring) + s * sin(ring) for d, s in zip(direction, side, strict=True))
        position = (
            cx + direction[0] * radius + normal[0] * tube,
            cy + direction[1] * radius + normal[1] * tube,
            cz + direction[2] * radius + normal[2] * tube,
        )
        return position, normal

    add_surface(prim, surface, steps, 12)


def build_flat(printed: Primitive, body: Primitive, width: float, height: float) -> None:
    """A poster on a 5 mm board."""
    add_prism(body, _rect(width, height), -0.005, 0.0, front=printed)


def build_mug(printed: Primitive, body: Primitive, width: float, height: float) -> None:
    """An 11 oz mug (at least 82 mm across) with the print centred on its front.

    A print that leaves room on the sides gets the handle on the right, where the shopper sees it
    beside the artwork; a print wrapping further round (at most 80 %) gets it in the gap at the back.
    """
    radius = max(MUG_RADIUS, width / (2 * pi * MUG_WRAP_MAX))
    half = width / radius / 2  # the print's half angle
    top, bottom, wall, steps = height * 0.6, -height * 0.6, radius * 0.06, 64
    handle = pi / 2 if half + MUG_HANDLE_CLEARANCE <= pi / 2 else pi
    add_cylinder(printed, radius, height / 2, -height / 2, (-half, half), steps)
    add_cylinder(body, radius, height / 2, -height / 2, (half, 2 * pi - half), steps)
    add_cylinder(body, radius, top, height / 2, (0, 2 * pi), steps)
    add_cylinder(body, radius, -height / 2, bottom, (0, 2 * pi), steps)
    add_cylinder(body, radius - wall, top, bottom + wall, (0, 2 * pi), steps, inward=True)
    add_ring(body, radius - wall, radius, top, up=True, steps=steps)
    add_ring(body, 0.0, radius, bottom, up=False, steps=steps)
    add_ring(body, 0.0, radius - wall, bottom + wall, up=True, steps=steps)
    handle_centre = (radius * sin(handle), 0.0, radius * cos(handle))
    add_tube_arc(body, handle_centre, handle, height * 0.32, MUG_HANDLE_TUBE, (-pi / 2, pi / 2))


def build_tshirt(printed: Primitive, body: Primitive, width: float, height: float) -> None:
    """A flat t-shirt (torso, shoulders, sleeves as convex slabs) with the print on the chest."""
    half, depth = width * 0.9, 0.01
    hem, armpit, shoulder = -height * 1.1, height * 0.45, height * 0.75
    neck, neck_depth = width * 0.3, height * 0.62
    sleeve_tip, sleeve_low = (half * 1.5, shoulder * 0.55), (half * 1.4, armpit * 0.35)
    parts = [
        [(-half, hem), (half, hem), (half, armpit), (-half, armpit)],
        [(-half, armpit), (-neck, armpit), (-neck, shoulder), (-half * 0.9, shoulder)],
        [(neck, armpit), (half, armpit), (half * 0.9, shoulder), (neck, shoulder)],
        [(-neck, armpit), (neck, armpit), (neck, neck_depth), (-neck, neck_depth)],
        [(half, armpit), sleeve_low, sleeve_tip, (half * 0.9, shoulder)],
    ]
    parts.append([(-x, y) for x, y in reversed(parts[-1])])  # the left sleeve mirrors the right one
    for outline in parts:
        add_prism(body, outline, -depth, 0.0)
    add_rect(printed, (0.0, 0.0, 0.0005), width, height)


def build_tote(printed: Primitive, body: Primitive, width: float, height: float) -> None:
    """A canvas bag with two handles; the print centred on its front."""
    half_w, half_h, depth = width * 0.65, height * 0.65, 0.06
    add_prism(body, _rect(2 * half_w, 2 * half_h), -depth, 0.0)
    add_rect(printed, (0.0, 0.0, 0.0005), width, height)
    for z in (0.0, -depth):
        add_tube_arc(body, (0.0, half_h, z), pi / 2, half_w * 0.45, 0.006, (0.0, pi), steps=20)


def build_phone_case(printed: Primitive, body: Primitive, width: float, height: float) -> None:
    """A rounded slab; its back (facing the viewer) carries the print edge to edge."""
    outline = _rounded_rect(width, height, min(width, height) * 0.12)
    add_prism(body, outline, -0.01, 0.0, front=printed)


def _rect(width: float, height: float) -> list[tuple[float, float]]:
    """A centred rectangle, counter-clockwise from the bottom left."""
    x, y = width / 2, height / 2
    return [(-x, -y), (x, -y), (x, y), (-x, y)]


def _rounded_rect(width: float, height: float, radius: float, steps: int = 8) -> list[tuple[float, float]]:
    """A centred rectangle with rounded corners, counter-clockwise (one corner arc per inner-rect corner)."""
    inner = _rect(width - 2 * radius, height - 2 * radius)
    outline = []
    for corner, (cx, cy) in enumerate(inner):
        for step in range(steps + 1):
            angle = pi + corner * pi / 2 + pi / 2 * step / steps
            outline.append((cx + radius * cos(angle), cy + radius * sin(angle)))
    return outline


BUILDERS = {
    "flat": build_flat,
    "mug": build_mug,
    "tshirt": build_tshirt,
    "tote": build_tote,
    "phone_case": build_phone_case,
}


# --- glTF packing -----------------------------------------------------------------------------------------


class _Buffer:
    """The BIN chunk being assembled, with its bufferViews and accessors."""

    def __init__(self):
        self.data = bytearray()
        self.views: list[dict] = []
        self.accessors: list[dict] = []

    def view(self, payload: bytes, target: int | None = None) -> int:
        self.data.extend(b"\0" * (-len(self.data) % 4))
        view = {"buffer": 0, "byteOffset": len(self.data), "byteLength": len(payload)}
        if target:
            view["target"] = target
        self.data.extend(payload)
        self.views.append(view)
        return len(self.views) - 1

    def accessor(self, values, kind: str, target: int, bounds: bool = False) -> int:
        width = {"VEC2": 2, "VEC3": 3, "SCALAR": 1}[kind]
        flat = [component for value in values for component in value] if width > 1 else list(values)
        if kind == "SCALAR":
            component = UNSIGNED_INT if max(flat) > 0xFFFF else UNSIGNED_SHORT
            payload = struct.pack(f"<{len(flat)}{'I' if component == UNSIGNED_INT else 'H'}", *flat)
        else:
            component, payload = FLOAT, struct.pack(f"<{len(flat)}f", *flat)
        accessor = {"bufferView": self.view(payload, target), "componentType": component}
        accessor.update(count=len(values), type=kind)
        if bounds:
            accessor["min"] = [min(value[axis] for value in values) for axis in range(width)]
            accessor["max"] = [max(value[axis] for value in values) for axis in range(width)]
        self.accessors.append(accessor)
        return len(self.accessors) - 1

    def primitive(self, prim: Primitive, material: int, *, textured: bool) -> dict:
        attributes = {
            "POSITION": self.accessor(prim.positions, "VEC3", ARRAY_BUFFER, bounds=True),
            "NORMAL": self.accessor(prim.normals, "VEC3", ARRAY_BUFFER),
        }
        if textured:
            attributes["TEXCOORD_0"] = self.accessor(prim.uvs, "VEC2", ARRAY_BUFFER)
        indices = self.accessor(prim.indices, "SCALAR", ELEMENT_ARRAY_BUFFER)
        return {"attributes": attributes, "indices": indices, "material": material, "mode": 4}


def pack_glb(printed: Primitive, body: Primitive, look: Look, texture_png: bytes) -> bytes:
    buffer = _Buffer()
    primitives = [buffer.primitive(printed, 0, textured=True), buffer.primitive(body, 1, textured=False)]
    image_view = buffer.view(texture_png)
    buffer.data.extend(b"\0" * (-len(buffer.data) % 4))
    document = {
        "asset": {"version": "2.0", "generator": "Luneo renderer"},
        "scene": 0,
        "scenes": [{"nodes": [0]}],
        "nodes": [{"mesh": 0, "name": "product"}],
        "meshes": [{"name": "product", "primitives": primitives}],
        "materials": [
            {
                "name": "print",
                "pbrMetallicRoughness": {
                    "baseColorTexture": {"index": 0},
                    "metallicFactor": 0.0,
                    "roughnessFactor": look.print_roughness,
                },
            },
            {
                "name": "body",
                "pbrMetallicRoughness": {
                    "baseColorFactor": [*look.body_color, 1.0],
                    "metallicFactor": 0.0,
                    "roughnessFactor": look.body_roughness,
                },
            },
        ],
        "textures": [{"sampler": 0, "source": 0}],
        "samplers": [{"magFilter": 9729, "minFilter": 9987, "wrapS": 33071, "wrapT": 33071}],
        "images": [{"bufferView": image_view, "mimeType": "image/png", "name": "artwork"}],
        "accessors": buffer.accessors,
        "bufferViews": buffer.views,
        "buffers": [{"byteLength": len(buffer.data)}],
    }
    return _glb_container(json.dumps(document, separators=(",", ":")).encode(), bytes(buffer.data))


def _glb_container(json_chunk: bytes, bin_chunk: bytes) -> bytes:
    json_chunk += b" " * (-len(json_chunk) % 4)
    length = 12 + 8 + len(json_chunk) + 8 + len(bin_chunk)
    return b"".join(
        (
            struct.pack("<III", GLB_MAGIC, 2, length),
            struct.pack("<II", len(json_chunk), CHUNK_JSON),
            json_chunk,
            struct.pack("<II", len(bin_chunk), CHUNK_BIN),
            bin_chunk,
        )
    )
