"""Test configuration: Hypothesis profiles and the lifetimes oracle."""

from __future__ import annotations

import importlib
import os
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    derandomize=True,
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=40, deadline=None)
# Long runs on demand: `pytest --hypothesis-profile=thorough`.
settings.register_profile(
    "thorough",
    derandomize=False,
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

DATA_DIR = Path(__file__).parent / "data"


@contextmanager
def quiet_oracle() -> Iterator[None]:
    """Run lifetimes code without its warnings becoming errors.

    lifetimes 0.11.3 sets a deprecated pandas option and installs a global
    ``warnings.simplefilter`` at import; ``catch_warnings`` restores the
    warning filters afterwards so neither leaks into other tests.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


@pytest.fixture(scope="session")
def lifetimes() -> ModuleType:
    """The lifetimes package, imported without leaking its warning filters."""
    with quiet_oracle():
        module = importlib.import_module("lifetimes")
        importlib.import_module("lifetimes.utils")
    return module


@pytest.fixture(scope="session")
def quiet() -> object:
    """The :func:`quiet_oracle` context manager, for wrapping lifetimes calls."""
    return quiet_oracle


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """Folder of the data files the tests read (see tests/data/README.md)."""
    return DATA_DIR
