"""What an install of ketencheck carries and accepts: the licence text, dependency ranges for users, and the
exact pins of the dev environment (constraints.txt), kept in step with pyproject.toml."""

from __future__ import annotations

import hashlib
import re
import tomllib
import zipfile
from importlib.metadata import version
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import ROOT

# The English EUPL v1.2 as the SPDX licence list publishes it (npm spdx-license-list 6.12.0, licenses/EUPL-1.2.json,
# licenseText, plus a final newline): a changed byte is a changed licence.
EUPL_1_2_SHA256 = "57fb42fbcd0b037ce528ed8f72f1ec095d67bc6825ecf1448ff39be1fe68a4b4"
ARTICLES = (
    "Definitions",
    "Scope of the rights granted by the Licence",
    "Communication of the Source Code",
    "Limitations on copyright",
    "Obligations of the Licensee",
    "Chain of Authorship",
    "Disclaimer of Warranty",
    "Disclaimer of Liability",
    "Additional agreements",
    "Acceptance of the Licence",
    "Information to the public",
    "Termination of the Licence",
    "Miscellaneous",
    "Jurisdiction",
    "Applicable Law",
)


def _project() -> dict[str, object]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]  # type: ignore[no-any-return]


def _requirements() -> tuple[list[Requirement], list[Requirement]]:
    project = _project()
    runtime = [Requirement(r) for r in project["dependencies"]]  # type: ignore[attr-defined]
    dev = [Requirement(r) for r in project["optional-dependencies"]["dev"]]  # type: ignore[index]
    return runtime, dev


def _constraints() -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, sep, pinned = line.partition("==")
            assert sep and re.fullmatch(r"[0-9][0-9A-Za-z.+!-]*", pinned), f"not an exact pin: {line}"
            pins[canonicalize_name(name)] = pinned
    return pins


def test_the_licence_is_the_complete_unmodified_eupl_1_2() -> None:
    assert _project()["license"] == "EUPL-1.2"
    data = (ROOT / "LICENSE").read_bytes()
    text = data.decode("utf-8")
    assert text.startswith("EUROPEAN UNION PUBLIC LICENCE v. 1.2\nEUPL © the European Union 2007, 2016\n")
    for number, title in enumerate(ARTICLES, start=1):
        assert f"\n{number}.{title}\n" in text, title
    # The appendix of compatible licences is part of the licence (Article 5, compatibility clause).
    assert "— Québec Free and Open-Source Licence — Reciprocity (LiLiQ-R) or Strong Reciprocity (LiLiQ-R+)." in text
    assert text.endswith(
        "All other changes or additions to this Appendix require the production of a new EUPL version.\n"
    )
    assert hashlib.sha256(data).hexdigest() == EUPL_1_2_SHA256


def test_the_wheel_carries_the_licence(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        licences = [n for n in archive.namelist() if n.endswith("/LICENSE") and ".dist-info/" in n]
        assert len(licences) == 1, archive.namelist()
        assert archive.read(licences[0]) == (ROOT / "LICENSE").read_bytes()
        metadata = archive.read(next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))).decode()
    assert "License-Expression: EUPL-1.2" in metadata
    # The installed package accepts ranges, so that it installs next to other tools.
    assert "Requires-Dist: click<9,>=8.4" in metadata


def test_runtime_dependencies_are_ranges_with_an_upper_bound() -> None:
    runtime, _ = _requirements()
    assert runtime
    for requirement in runtime:
        operators = {spec.operator for spec in requirement.specifier}
        assert "==" not in operators and "===" not in operators, f"{requirement} is pinned: users cannot co-install"
        assert ">=" in operators and "<" in operators, f"{requirement} needs a lower and an upper bound"


def test_every_dependency_is_pinned_in_constraints_and_the_pin_is_in_range() -> None:
    runtime, dev = _requirements()
    build = [Requirement(r) for r in tomllib.loads((ROOT / "pyproject.toml").read_text())["build-system"]["requires"]]
    pins = _constraints()
    for requirement in [*runtime, *dev, *build]:
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is not pinned in constraints.txt"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"constraints.txt pins {requirement.name}=={pins[name]}, outside pyproject.toml's {requirement.specifier}"
        )


def test_the_dev_environment_is_the_pinned_one() -> None:
    # What this test run imports is what constraints.txt says: make setup installed with -c constraints.txt.
    runtime, dev = _requirements()
    pins = _constraints()
    for requirement in [*runtime, *dev]:
        assert version(requirement.name) == pins[canonicalize_name(requirement.name)], requirement.name


def test_make_setup_installs_with_the_constraints_and_reinstalls_when_they_change() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    stamp = re.search(r"^\$\(STAMP\):(.*)$", makefile, re.MULTILINE)
    assert stamp is not None
    assert "constraints.txt" in stamp.group(1).split()
    assert "pyproject.toml" in stamp.group(1).split()
    assert re.search(r"pip install .*-c constraints\.txt -e '\.\[dev\]'", makefile)
