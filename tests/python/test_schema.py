"""importspy schema: a JSON Schema of the contract language that accepts what the engine accepts."""

import json
import re
import subprocess
import sys

import jsonschema
import pytest
import yaml

import importspy
from conftest import EXAMPLE, REPO


@pytest.fixture(scope="module")
def validator():
    text = subprocess.run([sys.executable, "-m", "importspy", "schema"], capture_output=True, text=True, check=True).stdout
    schema = json.loads(text)
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def errors(validator, text):
    return list(validator.iter_errors(yaml.safe_load(text)))


def doc_examples():
    """The YAML contract examples in the user documentation."""
    text = (REPO / "docs" / "contract-language.md").read_text()
    return [block for block in re.findall(r"```yaml\n(.*?)```", text, re.S) if "filename" in block or "deployments" in block]


def test_the_bundled_example_validates(validator):
    assert errors(validator, (EXAMPLE / "spymodel.yml").read_text()) == []


def test_the_documented_examples_validate(validator):
    blocks = doc_examples()
    assert blocks
    for block in blocks:
        assert errors(validator, block) == [], block
        importspy.parse_contract(block, "doc")  # and the engine agrees


@pytest.mark.parametrize("options", [{}, {"with_hashes": True, "with_environment": True, "include_private": True}])
def test_generated_contracts_validate(validator, options):
    for target in (str(EXAMPLE / "plugins" / "good" / "extension.py"), "json", "textwrap"):
        module = target if target.endswith(".py") else __import__(target)
        assert errors(validator, importspy.generate(module, **options)) == []


INVALID = {
    "unknown top-level key": "filename: a.py\nclasess: []\n",
    "misspelled function key": "functions:\n  - name: f\n    retrun_annotation: str\n",
    "variables as a mapping": "variables:\n  name: x\n",
    "argument without a name": "functions:\n  - name: f\n    arguments:\n      - annotation: int\n",
    "attribute of an unknown type": "classes:\n  - name: A\n    attributes:\n      - {type: static, name: x}\n",
    "malformed structure hash": "functions:\n  - {name: f, hash: 'md5:00'}\n",
    "malformed integrity": "integrity: {sha256: xyz}\n",
    "schema version 2": "importspy: 2\n",
    "deployment without arch": "deployments:\n  - systems: []\n",
    "unknown parameter kind": "functions:\n  - name: f\n    arguments:\n      - {name: x, kind: keyword}\n",
}


@pytest.mark.parametrize("case", sorted(INVALID))
def test_invalid_contracts_do_not_validate_and_the_engine_rejects_them_too(validator, case):
    assert errors(validator, INVALID[case]), case
    with pytest.raises(importspy.ContractError):
        importspy.parse_contract(INVALID[case], case)
