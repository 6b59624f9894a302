/** Which side holds the foreign key (SQLAlchemy's MANYTOONE / ONETOMANY / MANYTOMANY). */
export type RelationshipDirection = "many-to-one" | "one-to-many" | "many-to-many";
