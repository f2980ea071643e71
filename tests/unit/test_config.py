from pathlib import Path

import pytest

from kiosk.config import ConfigError, load_config


def test_defaults_load_and_are_complete() -> None:
    config = load_config()
    assert config.screen.language == "zh_CN"
    assert config.devices.printer.driver == "simulated"
    assert config.notices


def test_site_file_overrides_only_what_it_names(tmp_path: Path) -> None:
    site = tmp_path / "site.toml"
    site.write_text('[kiosk]\nid = "station-7"\ndata_dir = "data"\n[screen]\nlarge_text = true\n')
    config = load_config(site)
    assert config.kiosk.id == "station-7"
    assert config.kiosk.data_dir == tmp_path / "data"
    assert config.screen.large_text is True
    assert config.screen.language == "zh_CN"


def test_environment_variable_names_the_site_file(tmp_path: Path, monkeypatch) -> None:
    site = tmp_path / "env.toml"
    site.write_text('[screen]\nlanguage = "en"\n')
    monkeypatch.setenv("KIOSK_CONFIG", str(site))
    assert load_config().screen.language == "en"


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("[screen]\ninactivity_seconds = 5\n", "screen.inactivity_seconds = 5"),
        ('[screen]\nlanguage = "fr"\n', "screen.language = 'fr'"),
        ('[center]\nurl = "ftp://x"\n', "center.url = 'ftp://x'"),
        ('[devices.printer]\ndriverr = "x"\n', "devices.printer.driverr"),
        ("[screen]\nwarning_seconds = 200\ninactivity_seconds = 100\n", "warning_seconds"),
    ],
)
def test_bad_value_names_key_and_value(tmp_path: Path, text: str, named: str) -> None:
    site = tmp_path / "bad.toml"
    site.write_text(text)
    with pytest.raises(ConfigError) as error:
        load_config(site)
    assert named in str(error.value)


def test_broken_toml_and_missing_file_are_clear(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("[screen\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(broken)
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nowhere.toml")


def test_device_options_reach_the_driver_as_a_table(tmp_path: Path) -> None:
    site = tmp_path / "site.toml"
    site.write_text('[devices.scanner.options]\ndecoder = "pyzbar"\ndedup_seconds = 1.5\n')
    assert load_config(site).devices.scanner.options == {"decoder": "pyzbar", "dedup_seconds": 1.5}
    site.write_text("[devices.scanner.options.nested]\nx = 1\n")
    with pytest.raises(ConfigError, match=r"devices\.scanner\.options"):
        load_config(site)
