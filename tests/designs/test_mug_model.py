"""The mug's 3D model has a handle where a shopper looking at the print can see it.

The viewer looks at a model from the front (+Z, Y up): a handle is seen when it sticks out of the
mug's outline sideways (X), and is hidden behind the mug when it only sticks out backwards (-Z).
"""

import io

import pytest
from PIL import Image

from apps.designs.rendering import render_glb

trimesh = pytest.importorskip("trimesh")
MUG_RADIUS = 0.041


def mug_parts(size_mm: tuple[float, float]):
    """The mug's printed band (the textured mesh) and its plain body (cup and handle)."""
    scene = trimesh.load(io.BytesIO(render_glb("mug", Image.new("RGB", (64, 48), "red"), size_mm)), "glb")
    [printed] = [mesh for mesh in scene.geometry.values() if mesh.visual.material.baseColorTexture]
    [body] = [mesh for mesh in scene.geometry.values() if mesh is not printed]
    return printed, body


def test_a_print_on_the_front_leaves_the_handle_on_the_side_in_view():
    # given the 90 × 90 mm print area of an 11 oz mug
    printed, body = mug_parts((90, 90))

    # then the mug is 82 mm across, the print centred on its front
    (left, _, _), (right, _, front) = printed.bounds
    assert front == pytest.approx(MUG_RADIUS, abs=1e-4)
    assert left == pytest.approx(-right, abs=1e-4)
    # and the handle sticks out on the right, beside the print, 2 cm at least
    (body_left, _, back), (body_right, _, _) = body.bounds
    assert body_left == pytest.approx(-MUG_RADIUS, abs=1e-3)
    assert body_right > MUG_RADIUS + 0.02
    assert back == pytest.approx(-MUG_RADIUS, abs=1e-3)


def test_a_print_wrapping_round_the_mug_leaves_the_handle_in_the_gap_at_the_back():
    # given a 200 mm wide print: 80 % of the way round
    _printed, body = mug_parts((200, 90))

    # then the handle sticks out backwards, in the gap the print leaves
    (left, _, back), (right, _, _) = body.bounds
    assert left == pytest.approx(-right, abs=1e-3)
    assert back < -MUG_RADIUS - 0.02
