import io
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction
from PIL import Image as PILImage

from media_app.demo import demo_picture


def max_rss_mb():
    """The process's peak resident memory (VmHWM: per process, unlike ru_maxrss, which
    Linux carries over from the parent across fork and exec)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


class Command(BaseCommand):
    help = (
        "Time the upload path (policy, normalisation, renditions, storage) on a generated "
        "24-megapixel JPEG and report time and peak memory. Nothing is kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("--width", type=int, default=6000)
        parser.add_argument("--height", type=int, default=4000)
        parser.add_argument("--runs", type=int, default=3)
        parser.add_argument(
            "--input",
            help="Measure this JPEG (else one is generated, then measured in a "
            "fresh process so generating it does not count in the peak memory).",
        )

    def handle(self, *args, width, height, runs, input, **options):
        if input:
            return self.measure(input, runs)
        picture = PILImage.open(
            io.BytesIO(demo_picture(seed=24, width=width // 4, height=height // 4))
        )
        picture = picture.resize((width, height), PILImage.Resampling.BICUBIC)
        # Camera-like grain, so the file is as heavy as a real photograph's.
        grain = PILImage.effect_noise((width, height), 40).convert("RGB")
        picture = PILImage.blend(picture, grain, 0.18)
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "bench.jpg")
            picture.save(path, "JPEG", quality=92)
            del picture, grain
            command = [sys.executable, sys.argv[0], "bench_image_upload", "--input", path]
            subprocess.run([*command, "--runs", str(runs)], check=True)

    def measure(self, path, runs):
        from media_app.services import import_image

        with open(path, "rb") as fh:
            data = fh.read()
        with PILImage.open(io.BytesIO(data)) as probe:
            w, h = probe.size
        self.stdout.write(
            f"input: {w}×{h} JPEG ({w * h / 1e6:.1f} MP), {len(data) / 1e6:.1f} MB; "
            f"process max RSS before the first upload: {max_rss_mb():.0f} MB"
        )
        for run in range(1, runs + 1):
            # A JPEG comment makes each run a new file, not a duplicate found by its hash.
            comment = f"run {run} {time.time()}".encode()
            blob = data[:2] + b"\xff\xfe" + (len(comment) + 2).to_bytes(2) + comment + data[2:]
            tracemalloc.start()
            started = time.perf_counter()
            try:
                with transaction.atomic():
                    image = import_image(
                        file=SimpleUploadedFile("bench.jpg", blob), alt_text="Benchmark picture"
                    )
                    elapsed = time.perf_counter() - started
                    _, peak = tracemalloc.get_traced_memory()
                    count = len(image.renditions["widths"]) + len(image.renditions["crops"])
                    image.delete()  # its files go after the commit
            finally:
                tracemalloc.stop()
            self.stdout.write(
                f"run {run}: {elapsed:.2f} s; peak traced allocations {peak / 1e6:.0f} MB; "
                f"process max RSS {max_rss_mb():.0f} MB; kept {image.width}×{image.height} "
                f"+ {count} renditions"
            )
