from ccmon.cli import main

raise SystemExit(main())
