"""``python -m agent <command>``: see ``agent.cli``."""

from agent.cli import main

raise SystemExit(main())
