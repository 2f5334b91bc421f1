"""nixpkgs lib/tests/modules/disable-recursive/disable-bar.nix"""

module = {"disabled_modules": ["bar.py"]}
