"""nixpkgs lib/tests/modules/disable-recursive/foo.nix"""

module = {"imports": ["../declare_enable.py"]}
