"""nixpkgs lib/tests/modules/disable-recursive/main.nix"""

module = {"imports": ["foo.py", "bar.py"], "enable": True}
