"""Target: an existing cluster, reached through a kubeconfig context.

    {"targets": {"remote": {"enable": True, "context": "prod-eu-1", "environment": "production"}}}

It points the platform at `context`. For protected environments (by default: production) the
generated `apply.sh`/`destroy.sh` refuse to run unless the current kube context is `context`,
and then ask the user to type the context name (or take `--yes`).
"""

from modsys import mk_enable_option, mk_if, mk_option, types

NAME = "remote"


def module(config):
    cfg = lambda: config.targets[NAME]  # noqa: E731
    return {
        "key": "modsys:targets/remote",
        "imports": ["../modules/platform/kubernetes", "../modules/build"],
        "options": {
            "targets": {
                NAME: {
                    "enable": mk_enable_option("the remote (existing) cluster target"),
                    "context": mk_option(
                        type=types.non_empty_str,
                        example="prod-eu-1",
                        description="The kubeconfig context of the cluster.",
                    ),
                    "environment": mk_option(
                        type=types.str_matching(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?"),
                        default="staging",
                        example="production",
                        description="Name of the environment the cluster serves (staging, production, …).",
                    ),
                    "protected": mk_option(
                        type=types.bool,
                        default=lambda: config.targets[NAME].environment == "production",
                        default_text='environment == "production"',
                        description=(
                            "Guard the generated apply/destroy scripts: they check the current "
                            "context and ask for confirmation."
                        ),
                    ),
                }
            }
        },
        "config": mk_if(
            lambda: cfg().enable,
            {
                "platform": {
                    "kubernetes": {
                        "cluster": {
                            "uniqueIdentifier": lambda: cfg().context,
                            "labels": {"modsys.io/environment": lambda: cfg().environment},
                        }
                    }
                },
                "build": {
                    "productionGuard": mk_if(
                        lambda: cfg().protected,
                        {"context": lambda: cfg().context, "environment": lambda: cfg().environment},
                    )
                },
            },
        ),
    }
