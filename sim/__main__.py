"""``python -m sim`` does the same as the ``boligsim`` command."""

from sim.cli import main

raise SystemExit(main())
