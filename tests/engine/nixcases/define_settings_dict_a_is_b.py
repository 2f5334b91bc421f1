"""nixpkgs lib/tests/modules/define-settingsDict-a-is-b.nix"""


def module(config):
    return {"settingsDict": {"a": lambda: config.settingsDict.b}}
