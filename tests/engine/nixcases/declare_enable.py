"""nixpkgs lib/tests/modules/declare-enable.nix"""


def module(lib):
    return {
        "options": {
            "enable": lib.mk_option(
                type=lib.types.bool,
                default=False,
                example=True,
                description="Some descriptive text",
            )
        }
    }
