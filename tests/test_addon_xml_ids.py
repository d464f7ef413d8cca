"""No XML id is declared twice in any addon (issue #7: a duplicated
``rule_milestone_company`` left complaint.sla.milestone without a company rule,
because the second declaration silently replaced the first). Static: no Odoo."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from xml.etree import ElementTree

import pytest

ADDONS = Path(__file__).resolve().parent.parent / "odoo_addon"
MODULES = sorted(p.parent for p in ADDONS.glob("*/__manifest__.py"))
DECLARING = {"record", "template", "menuitem", "report", "act_window"}


def declared_ids(module: Path) -> Counter:
    ids = Counter()
    for path in module.rglob("*.xml"):
        for element in ElementTree.parse(path).iter():
            if element.tag in DECLARING and element.get("id"):
                xmlid = element.get("id")
                ids[xmlid if "." in xmlid else f"{module.name}.{xmlid}"] += 1
    return ids


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.name)
def test_no_xml_id_is_declared_twice(module):
    twice = sorted(xmlid for xmlid, n in declared_ids(module).items() if n > 1)
    assert not twice, f"{module.name} declares these XML ids more than once: {twice}"


def test_the_check_finds_a_duplicate(tmp_path):
    module = tmp_path / "m"
    module.mkdir()
    (module / "a.xml").write_text(
        '<odoo><record id="x" model="m"/><record id="x" model="m"/></odoo>', encoding="utf-8"
    )
    assert declared_ids(module)["m.x"] == 2
