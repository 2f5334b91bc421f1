"""The pictures of the plan: the graph model, Graphviz, Mermaid and the SVG laid out by modsys."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from modsys.review import plan_graph, to_dot, to_mermaid, to_svg
from modsys.review.escape import dot_string, mermaid_text, one_line, script_json, xml_text
from tests.review.review_samples import NASTY, nasty_plan, small_plan

SVG = "{http://www.w3.org/2000/svg}"


def test_graph_lanes_in_priority_order_nodes_and_edges():
    plan = small_plan()
    plan["manifestSets"].reverse()  # given out of order: lanes still follow the priorities
    g = plan_graph(plan)
    assert [lane.name for lane in g.lanes] == ["namespaces", "operators", "services"]
    assert [n.key for n in g.nodes] == ["namespaces/ns", "operators/op", "services/web"]
    web = g.nodes[2]
    assert web.lines == (
        "web", "namespace web", "2 objects (Deployment, Secret)",
        "wait: rollout Deployment/web in web (300s)",
    )
    assert g.nodes[1].summary == "chart op-chart 1.0.0"
    order = [(e.source, e.target) for e in g.edges if e.kind == "order"]
    assert order == [("s0", "s1"), ("s1", "s2")]
    deps = {(e.source, e.target): e.label for e in g.edges if e.kind == "depends"}
    assert deps == {
        ("n0", "n2"): "",
        ("n1", "n2"): "wait condition=Established CustomResourceDefinition/things.x.io (300s)",
    }


def test_dot_structure():
    text = to_dot(plan_graph(small_plan()), "plan for k3d-test")
    assert text.startswith("digraph plan {\n") and text.endswith("}\n")
    assert "rankdir=LR;" in text
    clusters = re.findall(r"subgraph (cluster_s\d) \{\n    label=\"([^\"]*)\";", text)
    assert clusters == [
        ("cluster_s0", "namespaces (priority 200)"),
        ("cluster_s1", "operators (priority 300)"),
        ("cluster_s2", "services (priority 600)"),
    ]
    assert 'n2 [label="web\\nnamespace web\\n2 objects (Deployment, Secret)\\n' in text
    assert "n0 -> n1 [ltail=cluster_s0, lhead=cluster_s1, style=dashed" in text
    assert "  n0 -> n2;\n" in text
    assert '  n1 -> n2 [label="wait condition=Established' in text
    assert text == to_dot(plan_graph(small_plan()), "plan for k3d-test")  # deterministic


def test_mermaid_structure():
    text = to_mermaid(plan_graph(small_plan()))
    lines = text.splitlines()
    assert lines[0] == "flowchart LR"
    assert '  subgraph s0["namespaces (priority 200)"]' in lines
    assert lines.count("  end") == 3
    assert '    n0["ns<br/>1 object (Namespace)"]' in lines
    assert '  s0 -.->|"then"| s1' in lines
    assert "  n0 --> n2" in lines
    assert any(line.startswith('  n1 -->|"wait condition=Established') for line in lines)


def _quoted_strings_balanced(text: str) -> None:
    """Outside the quoted strings only identifiers, arrows and brackets remain."""
    for line in text.splitlines():
        rest = re.sub(r'"(?:[^"\\]|\\.)*"', '""', line)
        assert '"' not in rest.replace('""', ""), line
        assert "<" not in rest and "#" not in rest and "`" not in rest, line


def test_escaping_in_dot():
    text = to_dot(plan_graph(nasty_plan()), NASTY)
    _quoted_strings_balanced(text)
    assert '\\"</script><b>#]|`\\\\n;end' in text  # quote escaped, backslash doubled
    assert dot_string('a"b\\c\nd') == '"a\\"b\\\\c d"'


def test_escaping_in_mermaid():
    text = to_mermaid(plan_graph(nasty_plan()))
    for line in text.splitlines()[1:]:
        # inside a label only the safe set and entity codes; the only markup is <br/>
        for label in re.findall(r'"([^"]*)"', line):
            assert re.fullmatch(r"(?:[A-Za-z0-9 .,:/_=+@()*{}\[\]!?'%~$^-]|#\d+;|<br/>)*", label)
        assert line.count('"') % 2 == 0
    assert mermaid_text('a"b') == "a#34;b"
    assert mermaid_text("x|y`z<w>;#") == "x#124;y#96;z#60;w#62;#59;#35;"
    assert " end" not in text.replace("  end\n", "")  # no user text ends a subgraph


def test_svg_is_wellformed_deterministic_and_escaped():
    graph = plan_graph(nasty_plan())
    text = to_svg(graph, NASTY)
    assert text == to_svg(plan_graph(nasty_plan()), NASTY)
    root = ET.fromstring(text)  # well-formed XML despite the names
    assert root.tag == f"{SVG}svg"
    assert "<script" not in text and "<b>" not in text
    nodes = root.findall(f"{SVG}g[@class='node']")
    assert [n.get("data-key") for n in nodes] == [n.key for n in graph.nodes]
    assert nodes[0].find(f"{SVG}title").text.startswith("ns" + NASTY)


def test_svg_layout_columns_and_edges():
    text = to_svg(plan_graph(small_plan()))
    root = ET.fromstring(text)
    lanes = root.findall(f"{SVG}g[@class='lane']")
    xs = [float(lane.find(f"{SVG}rect").get("x")) for lane in lanes]
    assert xs == sorted(xs) and len(set(xs)) == 3  # one column per batch, left to right
    titles = [lane.find(f"{SVG}text").text for lane in lanes]
    assert titles == ["namespaces (priority 200)", "operators (priority 300)",
                      "services (priority 600)"]
    deps = root.findall(f"{SVG}g[@class='edge depends']")
    assert [(e.get("data-from"), e.get("data-to")) for e in deps] == [("n0", "n2"), ("n1", "n2")]
    # n0 -> n2 skips a lane: it goes around (horizontal/vertical segments), not through op
    assert " V" in deps[0].find(f"{SVG}path").get("d")
    assert len(root.findall(f"{SVG}g[@class='edge order']")) == 2


def test_svg_of_an_empty_plan():
    root = ET.fromstring(to_svg(plan_graph({"manifestSets": []})))
    assert "nothing to deploy" in "".join(root.itertext())


def test_text_helpers():
    assert one_line("a\nb\tc") == "a b c"
    assert xml_text("<a href='x'>&\"") == "&lt;a href=&#39;x&#39;&gt;&amp;&quot;"
    embedded = script_json({"v": "</script><!-- & \u2028"})
    assert "<" not in embedded and ">" not in embedded and "&" not in embedded
    import json

    assert json.loads(embedded) == {"v": "</script><!-- & \u2028"}


def test_graphviz_reads_the_dot_output(tmp_path):
    """Real Graphviz draws the plan, names with quotes and backslashes intact."""
    import subprocess

    from tests.needs import tool

    dot = tool("dot")
    source = tmp_path / "plan.dot"
    source.write_text(to_dot(plan_graph(nasty_plan()), NASTY), encoding="utf-8")
    out = subprocess.run([dot, "-Tsvg", str(source)], capture_output=True, text=True, check=True)
    root = ET.fromstring(out.stdout)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "ns" + NASTY in texts and "namespaces (priority 200)" in texts
    edges = [g for g in root.iter(f"{SVG}g") if g.get("class") == "edge"]
    assert len(edges) == 4  # two "then" edges between the three lanes, two dependencies
