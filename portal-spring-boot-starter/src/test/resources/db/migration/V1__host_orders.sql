-- A host application's own Flyway migration (Spring Boot's default folder): it must keep running,
-- into the host's schema, next to Portal's.
create table orders (id bigint primary key, placed_by varchar(100) not null);
