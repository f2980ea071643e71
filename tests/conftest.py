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
]
