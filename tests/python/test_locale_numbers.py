"""Numbers are read the same in a host that set a comma-decimal C locale: a program that embeds ImportSpy
and called locale.setlocale(LC_ALL, "") under de_DE must not see `rate = 1.9` as 1."""

import os
import shutil
import subprocess
import sys
import textwrap

import pytest

COMMA_LOCALES = ("de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "fr_FR.utf8")


def comma_locale_env(tmp_path):
    """An environment and a locale name whose decimal point is ','; compiled with localedef when none is installed."""
    probe = "import locale, sys; locale.setlocale(locale.LC_ALL, sys.argv[1]); assert locale.localeconv()['decimal_point'] == ','"
    env = dict(os.environ)
    for name in COMMA_LOCALES:
        if subprocess.run([sys.executable, "-c", probe, name], env=env, capture_output=True).returncode == 0:
            return env, name
    localedef = shutil.which("localedef")
    if localedef:
        subprocess.run([localedef, "-i", "de_DE", "-f", "UTF-8", str(tmp_path / "de_DE.UTF-8")], capture_output=True)
        env["LOCPATH"] = str(tmp_path)
        if subprocess.run([sys.executable, "-c", probe, "de_DE.UTF-8"], env=env, capture_output=True).returncode == 0:
            return env, "de_DE.UTF-8"
    pytest.fail("no comma-decimal locale could be set (de_DE/fr_FR); install Debian's `locales` package (scripts/bootstrap.sh does)")


def test_a_float_value_is_read_with_its_decimal_point_under_a_comma_locale(tmp_path):
    env, name = comma_locale_env(tmp_path)
    (tmp_path / "plugin.py").write_text("rate = 1.9\nratio = 2.5e-1\n")
    (tmp_path / "contract.yml").write_text("variables:\n  - {name: rate, value: 1.9}\n  - {name: ratio, value: 0.25}\n")
    program = textwrap.dedent(
        f"""
        import locale, sys
        locale.setlocale(locale.LC_ALL, {name!r})
        import importspy
        report = importspy.check({str(tmp_path / "plugin.py")!r}, {str(tmp_path / "contract.yml")!r}, mode="static")
        print([str(v) for v in report.violations])
        sys.exit(0 if report.ok else 1)
        """
    )
    run = subprocess.run([sys.executable, "-c", program], env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
