from backprop_gui.app import main

raise SystemExit(main())
