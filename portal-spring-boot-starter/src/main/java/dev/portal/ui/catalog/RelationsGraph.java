package dev.portal.ui.catalog;

import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Relation;
import dev.portal.catalog.model.RelationType;
import dev.portal.catalog.persistence.StoredEntity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Lays out an entity's relations graph on the server: the entity in the middle, its direct
 * neighbours on an ellipse around it and, for a System or Domain, their parts on a second ellipse
 * outside (a domain's systems and their components, a system's parts and what they provide and
 * consume among each other). The ellipses grow with the number of boxes so that none overlap; the
 * browser scales the SVG to the page.
 */
public final class RelationsGraph {

    static final int NODE_WIDTH = 168;
    static final int NODE_HEIGHT = 44;
    static final int MAX_NEIGHBOURS = 16;
    static final int MAX_PARTS = 24;
    private static final int MARGIN = 24;

    /** Which relations pull a neighbour closest to the front of the ring. */
    private static final List<String> TYPE_ORDER = List.of(RelationType.OWNED_BY, RelationType.PART_OF,
            RelationType.HAS_PART, RelationType.PROVIDES_API, RelationType.CONSUMES_API, RelationType.DEPENDS_ON,
            RelationType.API_PROVIDED_BY, RelationType.API_CONSUMED_BY, RelationType.DEPENDENCY_OF,
            RelationType.MEMBER_OF, RelationType.HAS_MEMBER, RelationType.CHILD_OF, RelationType.PARENT_OF,
            RelationType.OWNER_OF);

    /** Relations drawn between two boxes neither of which is the page's entity (one direction each). */
    private static final Set<String> PART_EDGES = Set.of(RelationType.HAS_PART, RelationType.PROVIDES_API,
            RelationType.CONSUMES_API, RelationType.DEPENDS_ON);

    private RelationsGraph() {
    }

    /** What a box says about an entity and where it links to. */
    public interface Labels {
        String label(EntityRef ref);

        String kind(EntityRef ref);

        String href(EntityRef ref);
    }

    /**
     * @param center the page's entity
     * @param related the entities the center's relations point at (and, for systems and domains,
     *     their parts), by ref; missing ones are drawn from their ref alone
     */
    public static GraphView layout(StoredEntity center, Function<EntityRef, Optional<StoredEntity>> related,
                                   Labels labels) {
        EntityRef self = center.ref();
        Map<EntityRef, List<String>> neighbours = new LinkedHashMap<>();
        center.relations().stream()
                .filter(relation -> !relation.target().equals(self))
                .sorted((a, b) -> Integer.compare(rank(a.type()), rank(b.type())))
                .forEach(relation -> neighbours.computeIfAbsent(relation.target(), ref -> new ArrayList<>())
                        .add(relation.type()));
        List<EntityRef> all = new ArrayList<>(neighbours.keySet());
        int hidden = Math.max(0, all.size() - MAX_NEIGHBOURS);
        List<EntityRef> ring = all.subList(0, Math.min(all.size(), MAX_NEIGHBOURS));

        // A system's or domain's parts, and their parts: the second ring.
        List<EntityRef> outer = new ArrayList<>();
        Map<EntityRef, EntityRef> parentOf = new LinkedHashMap<>();
        boolean whole = self.isKind("system") || self.isKind("domain");
        if (whole) {
            Set<EntityRef> placed = new LinkedHashSet<>(ring);
            placed.add(self);
            for (EntityRef part : ring) {
                if (!neighbours.get(part).contains(RelationType.HAS_PART)) {
                    continue;
                }
                for (Relation relation : related.apply(part).map(StoredEntity::relations).orElse(List.of())) {
                    if (RelationType.HAS_PART.equals(relation.type()) && placed.add(relation.target())) {
                        if (outer.size() < MAX_PARTS) {
                            outer.add(relation.target());
                            parentOf.put(relation.target(), part);
                        } else {
                            hidden++;
                        }
                    }
                }
            }
        }

        // Ellipses large enough that neighbouring boxes do not touch: wide boxes need room
        // side by side at the top and bottom, tall rows at the sides.
        double rx1 = Math.max(330, (NODE_WIDTH + 24) * ring.size() / (2 * Math.PI) * 1.15);
        double ry1 = Math.max(150, (NODE_HEIGHT + 16) * ring.size() / (2 * Math.PI) * 1.3);
        double rx2 = Math.max(rx1 + NODE_WIDTH + 40, (NODE_WIDTH + 24) * outer.size() / (2 * Math.PI) * 1.15);
        double ry2 = Math.max(ry1 + NODE_HEIGHT + 60, (NODE_HEIGHT + 16) * outer.size() / (2 * Math.PI) * 1.3);
        if (ring.isEmpty()) {
            rx1 = 0;
            ry1 = 0;
        }
        double rx = outer.isEmpty() ? rx1 : rx2;
        double ry = outer.isEmpty() ? ry1 : ry2;
        // Even sizes, so that the middle is a whole unit and the centre box sits exactly on it.
        int width = 2 * (int) Math.round(rx + NODE_WIDTH / 2.0 + MARGIN);
        int height = 2 * (int) Math.round(ry + NODE_HEIGHT / 2.0 + MARGIN);
        double cx = width / 2.0;
        double cy = height / 2.0;

        Map<EntityRef, double[]> centers = new LinkedHashMap<>();
        centers.put(self, new double[] {cx, cy});
        for (int i = 0; i < ring.size(); i++) {
            double angle = -Math.PI / 2 + 2 * Math.PI * i / ring.size();
            centers.put(ring.get(i), new double[] {cx + rx1 * Math.cos(angle), cy + ry1 * Math.sin(angle)});
        }
        // Parts in the order of their parents round the inner ring, so each sits near its parent.
        outer.sort((a, b) -> Integer.compare(ring.indexOf(parentOf.get(a)), ring.indexOf(parentOf.get(b))));
        double offset = outer.isEmpty() ? 0 : -Math.PI / 2 - Math.PI / Math.max(ring.size(), 1);
        for (int i = 0; i < outer.size(); i++) {
            double angle = offset + 2 * Math.PI * (i + 0.5) / outer.size();
            centers.put(outer.get(i), new double[] {cx + rx2 * Math.cos(angle), cy + ry2 * Math.sin(angle)});
        }

        List<GraphView.Node> nodes = new ArrayList<>();
        centers.forEach((ref, point) -> nodes.add(node(ref, point, labels, ref.equals(self))));

        List<GraphView.Edge> edges = new ArrayList<>();
        for (EntityRef neighbour : ring) {
            edges.add(edge(centers.get(self), centers.get(neighbour),
                    String.join(", ", neighbours.get(neighbour).stream().map(RelationsGraph::phrase).toList()), true));
        }
        // Between the other boxes only for a system or domain, whose page is about how its parts fit.
        Set<String> drawn = new LinkedHashSet<>();
        for (EntityRef source : whole ? centers.keySet() : Set.<EntityRef>of()) {
            if (source.equals(self)) {
                continue;
            }
            for (Relation relation : related.apply(source).map(StoredEntity::relations).orElse(List.of())) {
                EntityRef target = relation.target();
                if (!PART_EDGES.contains(relation.type()) || target.equals(self) || !centers.containsKey(target)
                        || !drawn.add(source.canonical() + "|" + target.canonical())) {
                    continue;
                }
                edges.add(edge(centers.get(source), centers.get(target), phrase(relation.type()), false));
            }
        }
        return cropped(new GraphView(width, height, nodes, edges, hidden));
    }

    /**
     * The same graph moved into the smallest canvas that holds its boxes and labels: an entity
     * with one or two neighbours leaves most of its ellipse empty.
     */
    private static GraphView cropped(GraphView graph) {
        int minX = Integer.MAX_VALUE;
        int minY = Integer.MAX_VALUE;
        int maxX = Integer.MIN_VALUE;
        int maxY = Integer.MIN_VALUE;
        for (GraphView.Node node : graph.nodes()) {
            minX = Math.min(minX, node.x());
            minY = Math.min(minY, node.y());
            maxX = Math.max(maxX, node.x() + node.width());
            maxY = Math.max(maxY, node.y() + node.height());
        }
        for (GraphView.Edge edge : graph.edges()) {
            minX = Math.min(minX, edge.labelX() - edge.labelWidth() / 2);
            maxX = Math.max(maxX, edge.labelX() + edge.labelWidth() / 2);
        }
        int dx = MARGIN - minX;
        int dy = MARGIN - minY;
        List<GraphView.Node> nodes = graph.nodes().stream().map(node -> new GraphView.Node(node.x() + dx,
                node.y() + dy, node.width(), node.height(), node.kind(), node.label(), node.title(), node.href(),
                node.kindClass(), node.center())).toList();
        List<GraphView.Edge> edges = graph.edges().stream().map(edge -> new GraphView.Edge(edge.x1() + dx,
                edge.y1() + dy, edge.x2() + dx, edge.y2() + dy, edge.label(), edge.labelX() + dx, edge.labelY() + dy,
                edge.labelWidth(), edge.primary())).toList();
        return new GraphView(maxX - minX + 2 * MARGIN, maxY - minY + 2 * MARGIN, nodes, edges, graph.hidden());
    }

    /** How a relation type reads on an edge: {@code ownedBy} is "owned by". */
    public static String phrase(String type) {
        StringBuilder words = new StringBuilder();
        for (char c : type.toCharArray()) {
            if (Character.isUpperCase(c)) {
                words.append(' ').append(Character.toLowerCase(c));
            } else {
                words.append(c);
            }
        }
        String phrase = words.toString().replace(" api", " API");
        return phrase.startsWith("api ") ? "API " + phrase.substring(4) : phrase;
    }

    private static int rank(String type) {
        int index = TYPE_ORDER.indexOf(type);
        return index < 0 ? TYPE_ORDER.size() : index;
    }

    private static GraphView.Node node(EntityRef ref, double[] point, Labels labels, boolean center) {
        String label = labels.label(ref);
        String shown = label.length() > 22 ? label.substring(0, 21) + "…" : label;
        String kind = labels.kind(ref);
        return new GraphView.Node((int) Math.round(point[0] - NODE_WIDTH / 2.0),
                (int) Math.round(point[1] - NODE_HEIGHT / 2.0), NODE_WIDTH, NODE_HEIGHT, kind, shown,
                label + " (" + ref.canonical() + ")", labels.href(ref),
                "kind-" + kind.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", ""), center);
    }

    /** A line between two box centres, cut where it leaves each box, with its label half-way. */
    private static GraphView.Edge edge(double[] from, double[] to, String label, boolean primary) {
        double[] start = border(from, to);
        double[] end = border(to, from);
        int labelWidth = (int) Math.round(label.length() * 6.2 + 10);
        return new GraphView.Edge((int) Math.round(start[0]), (int) Math.round(start[1]),
                (int) Math.round(end[0]), (int) Math.round(end[1]), label,
                (int) Math.round((start[0] + end[0]) / 2), (int) Math.round((start[1] + end[1]) / 2),
                labelWidth, primary);
    }

    /** Where the line from {@code box}'s centre towards {@code other} crosses the box's border (plus a gap). */
    private static double[] border(double[] box, double[] other) {
        double dx = other[0] - box[0];
        double dy = other[1] - box[1];
        if (dx == 0 && dy == 0) {
            return box;
        }
        double halfWidth = NODE_WIDTH / 2.0 + 4;
        double halfHeight = NODE_HEIGHT / 2.0 + 4;
        double scale = Math.min(dx == 0 ? Double.MAX_VALUE : halfWidth / Math.abs(dx),
                dy == 0 ? Double.MAX_VALUE : halfHeight / Math.abs(dy));
        return new double[] {box[0] + dx * scale, box[1] + dy * scale};
    }
}
