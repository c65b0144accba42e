"""What Chalice packages for Lambda (requirements.txt) is what the project declares."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_lambda_requirements_match_the_runtime_dependencies():
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    packaged = [line for line in lines if line and not line.startswith("#")]
    # Chalice itself is not packaged: it vendors its runtime part into the deployment.
    assert sorted(packaged) == sorted(d for d in declared if not d.startswith("chalice"))


def test_the_lambda_package_carries_the_compiled_catalogues_and_the_mail_templates():
    """The .mo files are build output (ignored by git) that the Lambda reads: Chalice must
    package them with chalicelib/. Asked of the packager's own list of app files, the one
    `chalice package` zips (tests/infra reads the real package of `make synth` too)."""
    from chalice.deploy.packager import AppOnlyDeploymentPackager
    from chalice.utils import OSUtils

    packager = AppOnlyDeploymentPackager(OSUtils(), None, None)  # type: ignore[arg-type]
    packaged = {zip_path for _, zip_path in packager._iter_app_filenames(str(ROOT))}
    for lang in ("nl", "fr", "en"):
        assert f"chalicelib/locale/{lang}/LC_MESSAGES/podium.mo" in packaged
    for part in ("txt", "html"):
        assert f"chalicelib/templates/mail/confirmation.{part}" in packaged
    ignored = (ROOT / ".gitignore").read_text().splitlines()
    assert "chalicelib/locale/*/LC_MESSAGES/*.mo" in ignored
