"""nixpkgs lib/tests/modules/disable-recursive/disable-foo.nix"""

module = {"disabled_modules": ["foo.py"]}
