package dev.portal.ui.catalog;

import java.util.List;

/**
 * A relations graph laid out on the server, drawn as SVG by the entity page: coordinates in the
 * SVG's user units.
 *
 * @param hidden how many related entities did not fit and are only in the lists
 */
public record GraphView(int width, int height, List<Node> nodes, List<Edge> edges, int hidden) {

    /**
     * A box: {@code x}, {@code y} is its top-left corner.
     *
     * @param kindClass a CSS class naming the kind, e.g. {@code kind-component}
     * @param center whether it is the page's own entity
     */
    public record Node(int x, int y, int width, int height, String kind, String label, String title, String href,
                       String kindClass, boolean center) {

        public int textX() {
            return x + width / 2;
        }
    }

    /**
     * A line between two boxes' borders, with its label at ({@code labelX}, {@code labelY}).
     *
     * @param primary whether it joins the page's entity (drawn stronger)
     */
    public record Edge(int x1, int y1, int x2, int y2, String label, int labelX, int labelY, int labelWidth,
                       boolean primary) {
    }
}
