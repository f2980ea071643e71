"""Shared test set-up: Qt runs offscreen, every test gets its own data folder."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

pytest_plugins = [
    "tests.support.fixtures",
    "tests.support.store",
    "tests.support.devices",
    "tests.support.center",
    "tests.support.postgres",
    "tests.support.personal_data",
    "tests.support.ui",
    "tests.support.station",
]

# Every test belongs to the tier of its folder, so `pytest -m unit` runs the quick tier alone.
TIERS = ("unit", "integration", "ui", "e2e", "chaos", "screens", "station", "packaging")


def pytest_collection_modifyitems(items: list) -> None:
    for item in items:
        tier = item.path.parent.name
        # A long fuzzer is pure code too, but it would make the quick tier slow.
        if tier in TIERS and not (tier == "unit" and item.get_closest_marker("fuzz")):
            item.add_marker(tier)
