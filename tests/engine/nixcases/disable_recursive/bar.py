"""nixpkgs lib/tests/modules/disable-recursive/bar.nix"""

module = {"imports": ["../declare_enable.py"]}
