"""Architecture rules across several root packages (`root_packages:`), through `check --package`: the
package checked and the other roots read as `importspy lint-imports` reads them, one graph across all."""

import json


def rules_result(document):
    [target] = [t for t in document["targets"] if t["target"] == "architecture_rules"]
    return target


# Two root packages: the shop, and a vendor package beside it that must not reach into the shop.
SHOP = {
    "shop/__init__.py": "",
    "shop/api.py": "import vendor.client\n",
    "shop/core.py": "",
    "vendor/__init__.py": "",
    "vendor/client.py": "import vendor.wire\n",
    "vendor/wire.py": "# the wire format\n\nfrom shop import core\n",
}

TWO_ROOTS = """\
architecture_rules:
  root_packages: [shop, vendor]
  rules:
    - name: the vendor package knows nothing of the shop
      type: forbidden
      source_modules: [vendor]
      forbidden_modules: [shop]
    - name: the shop core stays off the vendor
      type: forbidden
      source_modules: [shop.core]
      forbidden_modules: [vendor]
"""


def shop_and_vendor(project, contract=TWO_ROOTS):
    for name, text in SHOP.items():
        project.write(name, text)
    project.write("rules.yml", contract)
    return project


def test_rules_judge_every_root_package_and_imports_across_them(project):
    shop_and_vendor(project)
    result = project.cli("check", "--package", "shop", "-s", "rules.yml", "--no-cache", "--format", "json")
    assert result.returncode == 1, result.stderr
    document = json.loads(result.stdout)
    # The modules checked one by one are the shop's; the rules see the vendor's too.
    assert sorted(t["target"] for t in document["targets"]) == ["architecture_rules", "shop", "shop.api", "shop.core"]
    [violation] = rules_result(document)["violations"]
    assert violation["code"] == "architecture-forbidden"
    assert [(s["module"], s["file"], s["line"]) for s in violation["chains"][0]] == [
        ("vendor.wire", "vendor/wire.py", 3), ("shop.core", "shop/core.py", 0)]
    assert "`vendor` imports `shop`" in violation["message"]


def test_the_checked_package_may_be_named_by_its_folder(project):
    shop_and_vendor(project)
    result = project.cli("check", "--package", "./shop", "-s", "rules.yml", "--no-cache", "--format", "json")
    assert result.returncode == 1, result.stderr
    assert [v["chains"][0][0]["module"] for v in rules_result(json.loads(result.stdout))["violations"]] == ["vendor.wire"]


def test_without_the_second_root_its_modules_are_missing_from_the_rules(project):
    shop_and_vendor(project, TWO_ROOTS.replace("  root_packages: [shop, vendor]\n", ""))
    result = project.cli("check", "--package", "shop", "-s", "rules.yml", "--no-cache", "--format", "json")
    assert result.returncode == 1
    assert {v["code"] for v in rules_result(json.loads(result.stdout))["violations"]} == {"architecture-module-missing"}


def test_a_root_package_that_cannot_be_found_is_an_error_of_the_rules_naming_it(project):
    shop_and_vendor(project, TWO_ROOTS.replace("[shop, vendor]", "[shop, vendor, nowhere]"))
    result = project.cli("check", "--package", "shop", "-s", "rules.yml", "--no-cache", "--format", "json")
    assert result.returncode == 2
    error = rules_result(json.loads(result.stdout))["error"]
    assert "`nowhere` is neither a folder nor a package found on sys.path" in error["message"]
    assert "root_packages" in error["message"]


def test_a_change_in_another_root_package_reruns_the_rules_instead_of_serving_the_cache(project):
    shop_and_vendor(project)
    arguments = ("check", "--package", "shop", "-s", "rules.yml", "--format", "json")
    assert project.cli(*arguments).returncode == 1
    served = rules_result(json.loads(project.cli(*arguments).stdout))
    assert served["cached"] is True
    project.write("vendor/wire.py", "")
    rerun = project.cli(*arguments)
    assert rerun.returncode == 0, rerun.stdout
    assert rules_result(json.loads(rerun.stdout))["cached"] is False
