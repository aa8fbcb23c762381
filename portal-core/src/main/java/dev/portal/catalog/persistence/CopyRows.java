package dev.portal.catalog.persistence;

import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Table;
import org.postgresql.PGConnection;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Rows for {@code COPY ... FROM STDIN} in PostgreSQL's text format, escaped as they are added.
 *
 * <p>An ingest writes ~20 search rows and ~8 relation rows per entity. Sent as unnested arrays,
 * each value was escaped into an array literal here and parsed back into an array there before
 * PostgreSQL unnested it; COPY reads each row as it arrives and inserts rows in batches. The search
 * rows of 10,000 entities, 100 at a time, three times over, cost the PostgreSQL backend 1.3-1.9 s
 * of CPU as arrays and 0.8-1.5 s as COPY (psql, heap only, two rounds each).
 */
final class CopyRows {

    private final StringBuilder text;
    private boolean firstInRow = true;
    private int rows;

    CopyRows(int expectedRows) {
        text = new StringBuilder(Math.max(16, expectedRows) * 64);
    }

    CopyRows add(UUID value) {
        separate();
        text.append(value);
        return this;
    }

    /** A text value, {@code null} for SQL NULL. */
    CopyRows add(String value) {
        separate();
        if (value == null) {
            text.append("\\N");
            return this;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> text.append("\\\\");
                case '\t' -> text.append("\\t");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                default -> text.append(c);
            }
        }
        return this;
    }

    CopyRows endRow() {
        text.append('\n');
        firstInRow = true;
        rows++;
        return this;
    }

    int size() {
        return rows;
    }

    /**
     * Copies the rows added so far into {@code columns} of {@code table} on the context's
     * (transaction's) connection, and starts over empty.
     */
    void into(DSLContext tx, Table<?> table, Field<?>... columns) {
        if (rows == 0) {
            return;
        }
        String sql = "copy " + tx.render(table) + " ("
                + Stream.of(columns).map(column -> tx.render(column.getUnqualifiedName())).collect(Collectors.joining(", "))
                + ") from stdin";
        tx.connection(connection -> {
            try {
                connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql, new StringReader(text.toString()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        text.setLength(0);
        rows = 0;
    }

    private void separate() {
        if (!firstInRow) {
            text.append('\t');
        }
        firstInRow = false;
    }
}
