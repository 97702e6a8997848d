"""The CI integrations: python/importspy/ci/run-importspy.sh, and the GitHub Action (action.yml) and
GitLab CI template (ci/gitlab/importspy.gitlab-ci.yml) that run it, each run here on real files."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import xmlschema
import yaml

from conftest import REPO, assert_valid_sarif

SCRIPT = REPO / "python" / "importspy" / "ci" / "run-importspy.sh"
ACTION = REPO / "action.yml"
GITLAB = REPO / "ci" / "gitlab" / "importspy.gitlab-ci.yml"
SCHEMAS = Path(__file__).parent / "schemas"
SETTINGS = '[tool.importspy]\ntargets = ["plugins"]\n\n[[tool.importspy.contracts]]\nmatch = "plugins/*.py"\ncontract = "contract.yml"\n'


@pytest.fixture
def ci_project(project):
    project.write("contract.yml", "variables:\n  - name: api_level\n    value: 2\n")
    project.write("pyproject.toml", SETTINGS)
    project.write("plugins/good.py", "api_level = 2\n")
    return project


def environment(**inputs):
    """The job's environment: the `importspy` and `python` of the interpreter running the tests first on PATH."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("IMPORTSPY_", "GITHUB_")) and k != "PYTHONPATH"}
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env.update(inputs)
    return env


def run_script(cwd, **inputs):
    return subprocess.run(["bash", str(SCRIPT)], cwd=cwd, env=environment(**inputs), capture_output=True, text=True, timeout=120)


class TestRunScript:
    def test_compliant_project_exits_zero_and_writes_valid_sarif(self, ci_project):
        result = run_script(ci_project.root, IMPORTSPY_SARIF="reports/importspy.sarif")
        assert result.returncode == 0, result.stderr
        assert "Checked 1 module: 1 compliant" in result.stdout
        document = assert_valid_sarif((ci_project.root / "reports" / "importspy.sarif").read_text())
        assert document["runs"][0]["results"] == []

    def test_violations_exit_one_and_the_sarif_locates_them(self, ci_project):
        ci_project.write("plugins/old.py", "api_level = 1\n")
        result = run_script(ci_project.root, IMPORTSPY_SARIF="importspy.sarif", IMPORTSPY_FORMAT="github")
        assert result.returncode == 1
        assert "::error file=plugins/old.py,line=1,title=importspy variable-value-mismatch::" in result.stdout
        document = assert_valid_sarif((ci_project.root / "importspy.sarif").read_text())
        [violation] = document["runs"][0]["results"]
        assert violation["ruleId"] == "variable-value-mismatch"
        assert violation["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "plugins/old.py"

    def test_a_module_that_cannot_be_read_exits_two_and_is_in_the_reports(self, ci_project):
        ci_project.write("plugins/broken.py", "def f(:\n")
        result = run_script(ci_project.root, IMPORTSPY_SARIF="importspy.sarif", IMPORTSPY_JUNIT="importspy-junit.xml")
        assert result.returncode == 2
        document = assert_valid_sarif((ci_project.root / "importspy.sarif").read_text())
        assert [r["ruleId"] for r in document["runs"][0]["results"]] == ["source-error"]
        schema = xmlschema.XMLSchema(str(SCHEMAS / "junit.xsd"))
        schema.validate(str(ci_project.root / "importspy-junit.xml"))

    def test_targets_contract_and_extra_arguments_are_passed_on(self, ci_project):
        ci_project.write("other/one.py", "api_level = 2\n")
        ci_project.write("other/two.py", "api_level = 3\n")
        result = run_script(ci_project.root, IMPORTSPY_TARGETS="other/one.py\nother/two.py", IMPORTSPY_CONTRACT="contract.yml",
                            IMPORTSPY_ARGS="--no-cache -j 1")
        assert result.returncode == 1
        assert "check other/one.py other/two.py -s contract.yml --no-cache -j 1 --format text" in result.stderr
        assert not (ci_project.root / ".importspy_cache").exists()

    def test_an_unknown_format_is_refused_before_anything_runs(self, ci_project):
        result = run_script(ci_project.root, IMPORTSPY_FORMAT="xml")
        assert result.returncode == 2
        assert "IMPORTSPY_FORMAT is `xml`; expected text, github, json, junit or sarif" in result.stderr

    def test_a_missing_importspy_command_is_named(self, ci_project):
        result = run_script(ci_project.root, IMPORTSPY_COMMAND="importspy-not-installed")
        assert result.returncode == 2
        assert "`importspy-not-installed` is not on PATH" in result.stderr

    def test_a_report_that_cannot_be_written_fails_the_job(self, ci_project):
        (ci_project.root / "blocked").write_text("a file where a folder should be")
        result = run_script(ci_project.root, IMPORTSPY_SARIF="blocked/importspy.sarif")
        assert result.returncode == 2

    def test_the_html_report_is_written_and_the_job_summary_points_at_it(self, ci_project):
        ci_project.write("plugins/old.py", "api_level = 1\n")
        summary = ci_project.root / "step-summary.md"
        result = run_script(ci_project.root, IMPORTSPY_FORMAT="github", IMPORTSPY_HTML="reports/importspy-report.html", GITHUB_STEP_SUMMARY=str(summary))
        assert result.returncode == 1, result.stderr
        page = (ci_project.root / "reports" / "importspy-report.html").read_text()
        assert page.startswith("<!DOCTYPE html>") and "plugins/old.py" in page
        text = summary.read_text()
        assert "## ImportSpy: violations found" in text and "reports/importspy-report.html" in text
        assert text.count("## ImportSpy") == 1, "the report files written after the check add no summary of their own"

    def test_the_script_ships_inside_the_installed_package(self):
        import importspy

        installed = Path(importspy.__file__).parent / "ci" / "run-importspy.sh"
        assert installed.read_text() == SCRIPT.read_text()


def substitute(text, values):
    """`${{ inputs.NAME }}` and `${{ steps.ID.outputs.NAME }}` replaced as GitHub does (unknown: empty)."""
    return re.sub(r"\$\{\{\s*([\w.-]+)\s*\}\}", lambda m: str(values.get(m.group(1), "")), str(text))


class TestGitHubAction:
    def action(self):
        return yaml.safe_load(ACTION.read_text())

    def test_is_a_composite_action_that_installs_checks_and_uploads_sarif(self):
        action = self.action()
        assert action["runs"]["using"] == "composite"
        steps = action["runs"]["steps"]
        uses = [step.get("uses", "") for step in steps]
        assert "actions/setup-python@v5" in uses and "github/codeql-action/upload-sarif@v3" in uses
        install = next(step for step in steps if step.get("name") == "Install ImportSpy")
        assert install["env"]["IMPORTSPY_PACKAGE"] == "${{ inputs.package }}" and "ci/github/install-importspy.sh" in install["run"]
        setup = next(step for step in steps if step.get("uses") == "actions/setup-python@v5")
        assert setup["if"] == "inputs.python-version != ''"

    def test_every_documented_input_reaches_the_script(self):
        action = self.action()
        check = next(step for step in action["runs"]["steps"] if step.get("id") == "check")
        assert "python/importspy/ci/run-importspy.sh" in check["run"]
        passed = {name: value for name, value in check["env"].items()}
        assert passed == {
            "IMPORTSPY_TARGETS": "${{ inputs.targets }}",
            "IMPORTSPY_CONTRACT": "${{ inputs.contract }}",
            "IMPORTSPY_FORMAT": "${{ inputs.format }}",
            "IMPORTSPY_ARGS": "${{ inputs.args }}",
            "IMPORTSPY_SARIF": "${{ inputs.sarif-file }}",
            "IMPORTSPY_HTML": "${{ inputs.html-file }}",
            "IMPORTSPY_REPORT_ARTIFACT": "importspy-report",
        }
        documented = (REPO / "docs" / "integrations.md").read_text()
        for name in action["inputs"]:
            assert f"`{name}`" in documented, f"docs/integrations.md does not describe the action input `{name}`"

    def run_check_step(self, ci_project, **given):
        """Runs the action's check step as the runner would: inputs substituted, GITHUB_* set."""
        action = self.action()
        inputs = {f"inputs.{name}": spec.get("default", "") for name, spec in action["inputs"].items()}
        inputs.update({f"inputs.{name}": value for name, value in given.items()})
        check = next(step for step in action["runs"]["steps"] if step.get("id") == "check")
        output = ci_project.root / "github_output"
        output.write_text("")
        env = environment(GITHUB_ACTION_PATH=str(REPO), GITHUB_OUTPUT=str(output),
                          **{name: substitute(value, inputs) for name, value in check["env"].items()})
        cwd = ci_project.root / substitute(check["working-directory"], inputs)
        result = subprocess.run(["bash", "-e", "-c", substitute(check["run"], inputs)], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
        outputs = dict(line.split("=", 1) for line in output.read_text().splitlines())
        return result, outputs

    def test_check_step_on_a_compliant_project(self, ci_project):
        result, outputs = self.run_check_step(ci_project)
        assert result.returncode == 0, result.stderr
        assert outputs == {"exit-code": "0", "sarif-file": "importspy.sarif", "html-file": "importspy-report.html"}
        assert_valid_sarif((ci_project.root / "importspy.sarif").read_text())

    def test_check_step_defers_the_failure_so_the_sarif_is_uploaded(self, ci_project):
        ci_project.write("plugins/old.py", "api_level = 1\n")
        result, outputs = self.run_check_step(ci_project, **{"sarif-file": "out/importspy.sarif"})
        assert result.returncode == 0  # the step itself succeeds; "Fail on violations" fails the job
        assert outputs == {"exit-code": "1", "sarif-file": "out/importspy.sarif", "html-file": "importspy-report.html"}
        assert "::error file=plugins/old.py" in result.stdout
        assert_valid_sarif((ci_project.root / "out" / "importspy.sarif").read_text())
        steps = self.action()["runs"]["steps"]
        upload = next(step for step in steps if step.get("uses", "").startswith("github/codeql-action/upload-sarif"))
        assert upload["if"].startswith("always()")
        artifact = next(step for step in steps if step.get("uses", "").startswith("actions/upload-artifact"))
        assert artifact["if"] == "always() && inputs.upload-html == 'true' && steps.check.outputs.html-file != ''"
        assert artifact["with"]["name"] == "importspy-report"
        fail = steps[-1]
        assert fail["if"] == "steps.check.outputs.exit-code != '0'" and 'exit "$IMPORTSPY_STATUS"' in fail["run"]
        failing = subprocess.run(["bash", "-c", fail["run"]], env=environment(IMPORTSPY_STATUS="1"), capture_output=True, text=True)
        assert failing.returncode == 1

    def test_check_step_without_sarif(self, ci_project):
        result, outputs = self.run_check_step(ci_project, **{"sarif-file": "", "html-file": "", "targets": "plugins/good.py", "contract": "contract.yml"})
        assert result.returncode == 0, result.stderr
        assert outputs == {"exit-code": "0"}
        assert not (ci_project.root / "importspy.sarif").exists()


class TestGitHubActionInstall:
    """The action's install step, run as a runner runs it; pip (and apt-get) stand-ins record what they are asked."""

    def action(self):
        return yaml.safe_load(ACTION.read_text())

    def runner(self, tmp_path, dpkg_status="install ok installed"):
        """A bin folder put first on PATH: `python -m pip ...` and `apt-get` are recorded in pip.log and
        apt.log, any other `python` is the real one; `dpkg-query` answers `dpkg_status` for every package."""
        bin_folder = tmp_path / "runner-bin"
        bin_folder.mkdir()
        stand_ins = {
            "python": f'if [[ "$1" == -m && "$2" == pip ]]; then printf "%s\\n" "${{@:3}}" >> {tmp_path}/pip.log; exit 0; fi\nexec {sys.executable} "$@"\n',
            "apt-get": f'printf "%s\\n" "$*" >> {tmp_path}/apt.log\n',
            "sudo": '"$@"\n',
            "dpkg-query": f'printf "%s" "{dpkg_status}"\n',
        }
        for name, body in stand_ins.items():
            (bin_folder / name).write_text("#!/usr/bin/env bash\n" + body)
            (bin_folder / name).chmod(0o755)
        return bin_folder

    def run_step(self, step_name, workspace, bin_folder, check_outputs=None, **given):
        action = self.action()
        inputs = {f"inputs.{name}": spec.get("default", "") for name, spec in action["inputs"].items()}
        inputs.update({f"inputs.{name}": value for name, value in given.items()})
        inputs.update({f"steps.check.outputs.{name}": value for name, value in (check_outputs or {}).items()})
        step = next(step for step in action["runs"]["steps"] if step.get("name") == step_name)
        output = workspace / "github_output"
        output.touch()
        env = environment(GITHUB_ACTION_PATH=str(REPO), GITHUB_OUTPUT=str(output), GITHUB_WORKSPACE=str(workspace), GITHUB_ACTIONS="true", CI="true",
                          RUNNER_TEMP=str(workspace.parent), **{name: substitute(value, inputs) for name, value in step.get("env", {}).items()})
        env["PATH"] = os.pathsep.join([str(bin_folder), env["PATH"]])
        cwd = workspace / substitute(step.get("working-directory", "."), inputs)
        return subprocess.run(["bash", "-e", "-c", substitute(step["run"], inputs)], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)

    def test_by_default_it_builds_importspy_from_the_actions_own_checkout(self, ci_project, tmp_path):
        bin_folder = self.runner(tmp_path)
        result = self.run_step("Install ImportSpy", ci_project.root, bin_folder)
        assert result.returncode == 0, result.stderr
        assert (tmp_path / "pip.log").read_text().splitlines() == ["install", "--disable-pip-version-check", str(REPO)]
        assert not (tmp_path / "apt.log").exists()  # every library there already

    def test_the_default_is_not_a_requirement_that_pypi_cannot_serve(self):
        assert self.action()["inputs"]["package"]["default"] == ""

    def test_missing_build_libraries_are_installed_first_on_debian_and_ubuntu(self, ci_project, tmp_path):
        bin_folder = self.runner(tmp_path, dpkg_status="unknown ok not-installed")
        result = self.run_step("Install ImportSpy", ci_project.root, bin_folder)
        assert result.returncode == 0, result.stderr
        apt = (tmp_path / "apt.log").read_text().splitlines()
        assert apt[0] == "update -qq"
        assert apt[1].split() == ["install", "-y", "-qq", "libyaml-cpp-dev", "nlohmann-json3-dev", "libcli11-dev", "libsodium-dev", "libtomlplusplus-dev",
                                  "libgraphviz-dev"]
        assert (tmp_path / "pip.log").read_text().splitlines()[-1] == str(REPO)

    def test_a_wheel_given_as_package_is_installed_as_is(self, ci_project, tmp_path):
        bin_folder = self.runner(tmp_path)
        result = self.run_step("Install ImportSpy", ci_project.root, bin_folder, package="dist/importspy-1.0.0-cp311-cp311-manylinux_2_28_x86_64.whl")
        assert result.returncode == 0, result.stderr
        assert (tmp_path / "pip.log").read_text().splitlines()[-1] == "dist/importspy-1.0.0-cp311-cp311-manylinux_2_28_x86_64.whl"

    def test_every_step_runs_in_order_on_a_repository_as_a_workflow_would(self, ci_project, tmp_path):
        ci_project.write("plugins/old.py", "api_level = 1\n")
        subprocess.run(["git", "init", "-q"], cwd=ci_project.root, check=True)
        bin_folder = self.runner(tmp_path)
        assert self.run_step("Install ImportSpy", ci_project.root, bin_folder).returncode == 0
        check = self.run_step("Check import contracts", ci_project.root, bin_folder)
        assert check.returncode == 0, check.stderr  # the failure is deferred until the SARIF is uploaded
        assert "::error file=plugins/old.py" in check.stdout
        outputs = dict(line.split("=", 1) for line in (ci_project.root / "github_output").read_text().splitlines())
        assert outputs == {"exit-code": "1", "sarif-file": "importspy.sarif", "html-file": "importspy-report.html"}
        assert "<!DOCTYPE html>" in (ci_project.root / "importspy-report.html").read_text()
        assert_valid_sarif((ci_project.root / "importspy.sarif").read_text())
        fail = next(step for step in self.action()["runs"]["steps"] if step.get("name") == "Fail on violations or errors")
        assert fail["if"] == "steps.check.outputs.exit-code != '0'"
        failing = self.run_step("Fail on violations or errors", ci_project.root, bin_folder, check_outputs=outputs)
        assert failing.returncode == 1
        assert "importspy check exited with 1" in failing.stderr

    def test_the_documented_permissions_name_everything_a_private_repository_needs(self):
        page = (REPO / "docs" / "integrations.md").read_text()
        [workflow] = [b for b in re.findall(r"```yaml\n(.*?)```", page, re.S) if "importspy@" in b]
        permissions = yaml.safe_load(workflow)["jobs"]["importspy"]["permissions"]
        assert permissions == {"contents": "read", "security-events": "write", "actions": "read"}
        assert "package: ." not in workflow


class TestGitLabTemplate:
    def template(self):
        return yaml.safe_load(GITLAB.read_text())

    def test_job_keeps_the_html_report_as_an_artifact(self, ci_project):
        ci_project.write("plugins/old.py", "api_level = 1\n")
        job = self.template()[".importspy"]
        assert job["artifacts"]["expose_as"] == "ImportSpy report"
        env = environment(**{name: str(value) for name, value in job["variables"].items()})
        result = subprocess.run(["bash", "-c", job["script"][0]], cwd=ci_project.root, env=env, capture_output=True, text=True, timeout=120)
        assert result.returncode == 1, result.stderr
        assert "plugins/old.py" in (ci_project.root / job["variables"]["IMPORTSPY_HTML"]).read_text()

    def test_job_extends_the_hidden_template_and_reports_junit(self):
        template = self.template()
        assert template["importspy"]["extends"] == ".importspy"
        job = template[".importspy"]
        assert job["artifacts"]["reports"]["junit"] == job["variables"]["IMPORTSPY_JUNIT"] == "importspy-junit.xml"
        assert job["artifacts"]["when"] == "always"
        assert ".importspy_cache/" in job["cache"]["paths"]
        assert set(job["variables"]) == {"IMPORTSPY_PACKAGE", "IMPORTSPY_TARGETS", "IMPORTSPY_CONTRACT", "IMPORTSPY_FORMAT", "IMPORTSPY_ARGS", "IMPORTSPY_JUNIT",
                                         "IMPORTSPY_HTML"}
        assert job["variables"]["IMPORTSPY_HTML"] in job["artifacts"]["paths"]

    def test_script_runs_the_installed_run_script_and_writes_a_valid_junit_report(self, ci_project):
        ci_project.write("plugins/old.py", "api_level = 1\n")
        job = self.template()[".importspy"]
        env = environment(**{name: str(value) for name, value in job["variables"].items()})
        [line] = job["script"]
        assert "run-importspy.sh" in line
        result = subprocess.run(["bash", "-c", line], cwd=ci_project.root, env=env, capture_output=True, text=True, timeout=120)
        assert result.returncode == 1, result.stderr
        assert "plugins/old.py violates contract.yml" in result.stdout
        schema = xmlschema.XMLSchema(str(SCHEMAS / "junit.xsd"))
        report = ci_project.root / "importspy-junit.xml"
        schema.validate(str(report))
        suite = schema.to_dict(str(report))["testsuite"][0]
        assert (suite["@tests"], suite["@failures"], suite["@errors"]) == (2, 1, 0)
