"""Podium's build, beside pyproject.toml (which says everything else): a wheel or an installation from
a checkout carries the compiled translation catalogues. The .mo files are not kept in git (`make`
compiles them in a checkout: src/podium/base/catalogues.py); without this step an installed Podium
would serve every page in English whatever language it names."""

import importlib.util
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

CATALOGUES = Path(__file__).resolve().parent / "src" / "podium" / "base" / "catalogues.py"


class BuildWithCatalogues(build_py):
    """build_py, then each django.po it copied compiled to the django.mo beside it."""

    def run(self):
        super().run()
        # By its file: importing the package would load Django, which a build environment lacks.
        spec = importlib.util.spec_from_file_location("podium_catalogues", CATALOGUES)
        catalogues = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(catalogues)
        for po_path in catalogues.catalogues(Path(self.build_lib) / "podium" / "locale"):
            catalogues.compile_catalogue(po_path)


setup(cmdclass={"build_py": BuildWithCatalogues})
