"""nixpkgs lib/tests/modules/define-enable.nix"""

module = {"enable": True}
