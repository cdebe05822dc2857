import sys

from ccmon.sim.command import main

sys.exit(main())
