"""Generated files: data that targets and projects contribute and renderers write out.

- `build.files.<path>` = `{text, executable}`: a file written at `<path>` (relative, inside the
  output directory) next to the rendered manifests;
- `build.scripts.<name>`: shorthand for an executable file `<name>`;
- `build.productionGuard` = `{context, environment}`: makes the generated apply/destroy scripts
  refuse to run unless the current kube context is `context` and a person confirms.

The platform reads `platform.kubernetes.build.files` (read-only, computed here from both
options) and `platform.kubernetes.build.productionGuard` into the render plan, so every render
format writes the files. Paths are checked by the renderer: no `..`, no absolute paths, no
clash with a rendered file.
"""

from modsys import assertions_module, mk_option, types

_file = types.submodule(
    {
        "options": {
            "text": mk_option(
                type=types.lines,
                description="The file's contents (several definitions are joined with newlines).",
            ),
            "executable": mk_option(
                type=types.bool, default=False, description="Whether to mark the file executable."
            ),
        }
    }
)

_guard = types.submodule(
    {
        "options": {
            "context": mk_option(
                type=types.non_empty_str, description="The kube context the scripts may run against."
            ),
            "environment": mk_option(
                type=types.non_empty_str, description="Environment name shown in the prompt (production)."
            ),
        }
    }
)


def _all_files(config):
    files = {path: {"text": f.text, "executable": f.executable} for path, f in config.build.files.items()}
    for name, text in config.build.scripts.items():
        files[name] = {"text": text, "executable": True}
    return dict(sorted(files.items()))


def module(config):
    both = lambda: sorted(set(config.build.files) & set(config.build.scripts))  # noqa: E731
    return {
        "key": "modsys:modules/build",
        "imports": [assertions_module],
        "options": {
            "build": {
                "files": mk_option(
                    type=types.attrs_of(_file),
                    default={},
                    example={"README.txt": {"text": "Run ./create-cluster.sh first.\n"}},
                    description="Files written next to the rendered manifests, by relative path.",
                ),
                "scripts": mk_option(
                    type=types.attrs_of(types.lines),
                    default={},
                    example={"hello.sh": "#!/usr/bin/env bash\necho hello\n"},
                    description="Executable files written next to the rendered manifests, by name.",
                ),
                "productionGuard": mk_option(
                    type=types.null_or(_guard),
                    default=None,
                    description=(
                        "When set, apply.sh/destroy.sh refuse to run unless the current kube "
                        "context is `context` and the user confirms (`--yes` or a prompt)."
                    ),
                ),
            },
            "platform": {
                "kubernetes": {
                    "build": {
                        "files": mk_option(
                            type=types.attrs_of(types.attrs_of(types.anything)),
                            read_only=True,
                            description=(
                                "Every generated file, `{path: {text, executable}}`: `build.files` "
                                "plus `build.scripts`; what renderers write."
                            ),
                        ),
                        "productionGuard": mk_option(
                            type=types.null_or(types.attrs_of(types.str)),
                            read_only=True,
                            description="`build.productionGuard`, for the render plan.",
                        ),
                    }
                }
            },
        },
        "config": {
            "platform": {
                "kubernetes": {
                    "build": {
                        "files": lambda: _all_files(config),
                        "productionGuard": lambda: (
                            None
                            if config.build.productionGuard is None
                            else {
                                "context": config.build.productionGuard.context,
                                "environment": config.build.productionGuard.environment,
                            }
                        ),
                    }
                }
            },
            "assertions": [
                lambda: {
                    "assertion": not both(),
                    "message": "build.files and build.scripts both define " + ", ".join(both()),
                }
            ],
        },
    }
