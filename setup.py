"""Packaging lives in setup.cfg; this file only ships the top-level scenarios/ inside the package.

scenarios/ stays at the top of the checkout (it is the source of truth and what users copy); an
installed wheel carries it as simulator/scenarios, which settings.SHIPPED_SCENARIOS looks for first.
setup.cfg cannot add a package from another directory to `packages = find:`, hence this file.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["simulator", "simulator.*"]), "simulator.scenarios"],
    package_dir={"simulator.scenarios": "scenarios"},
)
