"""The `kiosk` command: runs the kiosk, or renders its screens to pictures."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from kiosk.audit_commands import add_audit_commands
from kiosk.config import ENV_VAR, ConfigError, KioskConfig, default_config, load_config
from kiosk.device_commands import add_device_commands
from kiosk.enroll import add_enroll_command
from kiosk.technician_commands import add_technician_commands
from kiosk.update_commands import add_update_commands


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="kiosk",
        description=(
            "Self-service kiosk for an electricity business base station. With no command, "
            "starts the kiosk with the configured devices and center."
        ),
    )
    parser.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help=f"site configuration (TOML) overriding config/kiosk.toml; default: ${ENV_VAR} if set",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="demo mode: start the reference center with demo data on loopback in a temporary "
        "folder, use it and simulated devices, and open the simulator panel (the resident's hands)",
    )
    parser.add_argument(
        "--fullscreen", action="store_true", help="fill the screen with no frame (the real kiosk)"
    )
    orientation = parser.add_mutually_exclusive_group()
    orientation.add_argument(
        "--portrait", action="store_true", help="1080x1920 window (a portrait panel)"
    )
    orientation.add_argument(
        "--landscape", action="store_true", help="1920x1080 window (the default)"
    )
    parser.add_argument(
        "--language", choices=["zh_CN", "en"], help="language of a new session (default zh_CN)"
    )
    parser.add_argument(
        "--large-text", action="store_true", help="start in the large-text high-contrast mode"
    )
    parser.add_argument(
        "--center", metavar="URL", help="the central platform's base URL (overrides center.url)"
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        metavar="DIR",
        help="where the local store and logs live (overrides kiosk.data_dir)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    shots = commands.add_parser(
        "screenshots",
        help="render every screen (zh_CN and en, landscape and portrait) to PNG files",
        description="Render every screen in Chinese and English, at 1920x1080 and 1080x1920, "
        "offscreen, to PNG files named <screen>-<language>-<orientation>.png, with a real bill "
        "from the reference center started for the purpose.",
    )
    shots.add_argument("directory", type=Path, metavar="DIR", help="folder for the PNG files")
    shots.add_argument(
        "--only",
        default="",
        metavar="SCENES",
        help="comma-separated scene names (e.g. idle,home,bill); default: every scene",
    )
    add_device_commands(commands)
    add_enroll_command(commands)
    add_audit_commands(commands)
    add_technician_commands(commands)
    add_update_commands(commands)
    commands.add_parser(
        "out-of-service",
        help="show the plain out-of-service screen (systemd runs it after repeated failed starts)",
        description="The plain, bilingual out-of-service screen with the staffed hall and the "
        "hotline: no devices, no store, no network. With a configuration that cannot be read, "
        "the shipped defaults.",
    )
    return parser.parse_args(argv)


def _overrides(args: argparse.Namespace) -> dict[str, dict[str, object]]:
    screen: dict[str, object] = {}
    if args.fullscreen:
        screen["fullscreen"] = True
    if args.portrait:
        screen["orientation"] = "portrait"
    if args.landscape:
        screen["orientation"] = "landscape"
    if args.language:
        screen["language"] = args.language
    if args.large_text:
        screen["large_text"] = True
    overrides: dict[str, dict[str, object]] = {"screen": screen}
    if args.center:
        overrides["center"] = {"url": args.center}
    if args.data_dir:
        overrides["kiosk"] = {"data_dir": str(args.data_dir.resolve())}
    return overrides


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        config: KioskConfig = load_config(args.config, overrides=_overrides(args))
    except ConfigError as error:
        print(f"kiosk: {error}", file=sys.stderr)
        if args.command != "out-of-service":
            return 2
        config = default_config()  # a broken configuration may be why the kiosk is down
    if args.command == "out-of-service":
        from kiosk.out_of_service import run_out_of_service

        return run_out_of_service(config)
    if args.command == "device":
        from kiosk.technician import run_device_command

        return run_device_command(args, config)
    if args.command == "technician":
        from kiosk.technician_commands import run_technician_command

        return run_technician_command(args)
    if args.command == "audit":
        from kiosk.audit_commands import run_audit_command

        return run_audit_command(args, config)
    if args.command == "update":
        from kiosk.update_commands import run_update_command

        return run_update_command(args, config)
    if args.command == "enroll":
        from kiosk.enroll import run_enroll_command

        return run_enroll_command(args, config)
    if args.command == "screenshots":
        from kiosk.screenshots import take_screenshots

        only = tuple(name for name in args.only.split(",") if name)
        written = take_screenshots(args.directory, config, only=only)
        print(f"{len(written)} screenshots written to {args.directory}")
        return 0
    from kiosk.app import run

    return run(config, demo=args.demo)


if __name__ == "__main__":
    raise SystemExit(main())
