from pathlib import Path

import pytest
import yaml

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def labelled():
    return yaml.safe_load((DATA / "labelled_comments.yaml").read_text(encoding="utf-8"))["comments"]


@pytest.fixture(scope="session")
def seg():
    from survey_analysis.text import Segmenter

    return Segmenter()
