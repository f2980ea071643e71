"""`python -m center`: the same as the `kiosk-center` console script."""

from center.cli import main

raise SystemExit(main())
