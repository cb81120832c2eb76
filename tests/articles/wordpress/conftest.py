import io
import json
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from PIL import Image as PILImage

FIXTURES = Path(__file__).parent / "fixtures"
SHARED_WXR = Path(__file__).resolve().parents[3] / ".." / "shared" / "wxr"

# The pictures our fixture's uploads folder holds (not-in-the-zip.jpg is missing on purpose).
PICTURES = {
    "2024/03/pier-at-dawn.jpg": (30, 90, 160),
    "2024/03/ferry-leaving.jpg": (240, 240, 240),
    "2024/03/sea-wall.jpg": (120, 110, 100),
    "2024/03/old-chart.jpg": (200, 180, 120),
}


def write_jpeg(path, color):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    buffer = io.BytesIO()
    PILImage.new("RGB", (400, 300), color).save(buffer, "JPEG", quality=80)
    Path(path).write_bytes(buffer.getvalue())


@pytest.fixture
def uploads(tmp_path):
    root = tmp_path / "wp-uploads"
    for rel, color in PICTURES.items():
        write_jpeg(root / rel, color)
    return root


@pytest.fixture
def gazette():
    return FIXTURES / "harbour-gazette.xml"


@pytest.fixture
def run_import(tmp_path):
    """Run the command the way an admin would; return the report as a dict."""

    def run(export, *extra):
        report = tmp_path / f"report-{len(list(tmp_path.glob('report-*')))}.json"
        out = io.StringIO()
        call_command(
            "import_wordpress",
            str(export),
            "--report",
            str(report),
            "--no-progress",
            *extra,
            stdout=out,
        )
        data = json.loads(report.read_text())
        data["stdout"] = out.getvalue()
        return data

    return run
