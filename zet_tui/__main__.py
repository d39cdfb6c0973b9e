from zet_tui.cli import main

raise SystemExit(main())
