"""nixpkgs lib/tests/modules/disable-declare-enable.nix"""

module = {"disabled_modules": ["declare_enable.py"]}
