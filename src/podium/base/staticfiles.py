"""The static files' storage: whitenoise's compressed storage that compresses a file only when it changed.

`podium serve` runs `collectstatic` at every start. Django copies only the files that changed, but
whitenoise compresses every file again (brotli at its highest level, then gzip): seconds of start-up
spent making the same bytes. Whitenoise gives each compressed copy its original's modification time, so
a file whose .br and .gz copies both carry its own time is left as it is; a file Django copied again
(a new time), or one with a copy missing, is compressed as before.
"""

import os

from whitenoise.storage import CompressedStaticFilesStorage

SAME_TIME = 0.001  # seconds: whitenoise sets the copy's time from a float, which may round it


class StaticFilesStorage(CompressedStaticFilesStorage):
    def post_process(self, paths, dry_run=False, **options):
        if dry_run:
            return
        compressor = self.create_compressor(quiet=True)  # only asked which encodings it writes
        suffixes = [".br"] * compressor.use_brotli + [".gz"] * compressor.use_gzip
        changed = {path: found for path, found in paths.items() if not self._compressed(path, suffixes)}
        yield from super().post_process(changed, dry_run=dry_run, **options)

    def _compressed(self, path: str, suffixes: list[str]) -> bool:
        """Whether every compressed copy of `path` exists and was made from the file as it is."""
        full = self.path(path)
        try:
            original = os.stat(full).st_mtime
            return bool(suffixes) and all(
                abs(os.stat(full + suffix).st_mtime - original) < SAME_TIME for suffix in suffixes
            )
        except FileNotFoundError:
            return False
