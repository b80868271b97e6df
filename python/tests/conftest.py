"""Fixtures: a sample twin made by `twin-tool demo` (scripts/test-python sets TWINGEO_TEST_DEMO)."""

import json
import os
import pathlib

import pytest


@pytest.fixture(scope="session")
def demo_dir() -> pathlib.Path:
    value = os.environ.get("TWINGEO_TEST_DEMO")
    if not value:
        pytest.fail("TWINGEO_TEST_DEMO is not set: run scripts/test-python, or set it to a `twin-tool demo --dir` "
                    "directory (with twin.gpkg and layers/*.geojson)")
    path = pathlib.Path(value)
    assert (path / "twin.gpkg").exists(), f"{path}/twin.gpkg is missing"
    return path


@pytest.fixture(scope="session")
def twin_path(demo_dir) -> str:
    return str(demo_dir / "twin.gpkg")


@pytest.fixture
def twin(twin_path):
    from twingeo import Twin
    with Twin(twin_path) as t:
        yield t


@pytest.fixture(scope="session")
def layer_features(demo_dir):
    """{layer name: [(code, shapely polygon)]} from the GeoJSON files the twin was built from."""
    import shapely
    layers = {}
    for f in sorted((demo_dir / "layers").glob("*.geojson")):
        features = json.loads(f.read_text(encoding="utf-8"))["features"]
        layers[f.stem] = [(str(feat["properties"]["code"]), shapely.geometry.shape(feat["geometry"]))
                          for feat in features]
    return layers


@pytest.fixture(scope="session")
def box(layer_features):
    import shapely
    geoms = [g for feats in layer_features.values() for _, g in feats]
    return shapely.total_bounds(geoms)  # minx, miny, maxx, maxy
