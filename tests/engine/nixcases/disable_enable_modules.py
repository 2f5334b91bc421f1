"""nixpkgs lib/tests/modules/disable-enable-modules.nix"""

module = {"disabled_modules": ["define_enable.py", "declare_enable.py"]}
