"""nixpkgs lib/tests/modules/disable-define-enable.nix"""

module = {"disabled_modules": ["define_enable.py"]}
