"""`kiosk-sim printer|scanner|idcard [options]`: a device simulator speaking the real wire
protocol on a pseudo-terminal. It prints the device path to point the kiosk at (for example
`kiosk device test idcard --driver sam_serial --url serial:///dev/pts/5`) and serves until
Ctrl-C.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence

SIMULATORS = {
    "printer": "drivers.printer.simulator",
    "scanner": "drivers.scanner.simulator",
    "idcard": "drivers.idcard.simulator",
}


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help") or args[0] not in SIMULATORS:
        print(
            __doc__.strip(),
            file=sys.stderr if args and args[0] not in ("-h", "--help") else sys.stdout,
        )
        print(f"\ndevices: {', '.join(SIMULATORS)}; `kiosk-sim DEVICE --help` for its options")
        return 0 if args and args[0] in ("-h", "--help") else 2
    simulator = importlib.import_module(SIMULATORS[args[0]])
    return int(simulator.main(args[1:]) or 0)


if __name__ == "__main__":
    raise SystemExit(main())
