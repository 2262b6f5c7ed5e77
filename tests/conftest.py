from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    path = SHARED / "data" / "raw"
    assert path.is_dir(), f"tests need ../shared beside the repository ({path})"
    return path


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return SHARED / "samples"
