import { describe, expectTypeOf, it } from "vitest";
import {
  type AssociationList,
  type ColumnElement,
  type ColumnRef,
  type CompositeAttribute,
  type EntitySelect,
  type NotLoaded,
  type Select,
  func,
  hybridMethod,
  hybridProperty,
  select,
  defer,
  undefer,
  validates,
} from "../../src/index.ts";
import { Author, AuthorKeyword, Point, Segment } from "../fixtures/attribute-models/library.ts";
import { typeOnly, value } from "./support.ts";

/**
 * Computed attributes in the types (issue 15): each kind is typed at class level by its SQL type
 * (so comparisons with a wrong type do not compile) and on instances by its value type.
 */
describe("types: computed attributes", () => {
  it("hybridProperty: an expression of its value type at class level, the value on instances", () => {
    expectTypeOf(Author.shout).toMatchTypeOf<ColumnElement<string>>();
    expectTypeOf<Author["shout"]>().toEqualTypeOf<string>();
    expectTypeOf(select(Author).where(Author.shout.eq("X")).orderBy(Author.shout)).toMatchTypeOf<EntitySelect<[Author]>>();
    expectTypeOf(select(Author.shout)).toEqualTypeOf<Select<{ [key: string]: string }>>();
    typeOnly(() => {
      // @ts-expect-error the hybrid is a string expression
      Author.shout.eq(1);
      // @ts-expect-error nor a number to add
      Author.shout.gt(2);
    });
  });

  it("hybridProperty: expression and setter must agree with the instance function's type", () => {
    typeOnly(() => {
      // @ts-expect-error the expression is a number, the instance value a string
      hybridProperty((a: Author) => a.lastName, { expression: () => func.count() });
      // @ts-expect-error the setter takes a number, the value is a string
      hybridProperty((a: Author) => a.lastName, { setter: (a: Author, v: number) => void [a, v] });
    });
    const ok = hybridProperty((a: Author) => a.firstName.length, { expression: () => func.length(Author.firstName) as ColumnElement<number> });
    expectTypeOf(ok).toMatchTypeOf<ColumnElement<number>>();
  });

  it("hybridMethod: the class-level function takes the method's arguments and gives its expression", () => {
    expectTypeOf(Author.firstNameStartsWith("A")).toEqualTypeOf<ColumnElement<boolean>>();
    expectTypeOf<ReturnType<Author["firstNameStartsWith"]>>().toEqualTypeOf<boolean>();
    typeOnly(() => {
      // @ts-expect-error the argument is a string
      Author.firstNameStartsWith(1);
      // @ts-expect-error the expression's arguments must be the method's
      hybridMethod((a: Author, n: number) => a.id > n, { expression: (s: string) => Author.firstName.eq(s) });
    });
  });

  it("columnProperty: typed by its expression; a deferred one as maybe not loaded", () => {
    expectTypeOf(Author.postCount).toMatchTypeOf<ColumnElement<number>>();
    expectTypeOf<Author["postCount"]>().toEqualTypeOf<number>();
    expectTypeOf<Author["bestScore"]>().toEqualTypeOf<number | null | NotLoaded<number | null>>();
    expectTypeOf(select(Author).options(undefer(Author.bestScore), defer(Author.postCount))).toMatchTypeOf<EntitySelect<[Author]>>();
    typeOnly(() => {
      // @ts-expect-error a count is a number
      Author.postCount.eq("many");
      // @ts-expect-error a hybrid is not a loadable column
      undefer(Author.shout);
    });
  });

  it("synonym: the target's column at class level, its value on instances and in the constructor", () => {
    expectTypeOf(Author.surname).toExtend<ColumnRef<string, "lastName">>();
    expectTypeOf<Author["surname"]>().toEqualTypeOf<string>();
    void new Author({ firstName: "A", surname: "B" });
    typeOnly(() => {
      // @ts-expect-error surname is a string
      void new Author({ surname: 1 });
      // @ts-expect-error surname is a string
      Author.surname.eq(1);
    });
  });

  it("composite: the value class on instances and in the constructor; class level compares values", () => {
    expectTypeOf(Segment.start).toEqualTypeOf<CompositeAttribute<Point>>();
    expectTypeOf<Segment["start"]>().toEqualTypeOf<Point>();
    expectTypeOf(Segment.start.eq(new Point(1, 2))).toEqualTypeOf<ColumnElement<boolean>>();
    void new Segment({ start: new Point(1, 2), end: new Point(3, 4) });
    typeOnly(() => {
      // @ts-expect-error a composite compares with its value class
      Segment.start.eq({ x: 1 });
      // @ts-expect-error nor is a number a Point
      value<Segment>().start = 3;
    });
  });

  it("associationProxy: a list of values on instances; contains() takes a value", () => {
    expectTypeOf<Author["keywords"]>().toEqualTypeOf<AssociationList<string>>();
    expectTypeOf(Author.keywords.contains("sql")).toEqualTypeOf<ColumnElement<boolean>>();
    expectTypeOf<AuthorKeyword["word"]>().toEqualTypeOf<string | null>();
    typeOnly(() => {
      // @ts-expect-error the proxied values are strings
      Author.keywords.contains(1);
      // @ts-expect-error append takes a value
      value<Author>().keywords.append(2);
    });
  });

  it("validates: the key is an attribute of the instance type, the validator returns its type", () => {
    typeOnly(() => {
      // @ts-expect-error no attribute "nickname"
      validates("nickname", (_a: Author, v) => v);
      // @ts-expect-error email is string | null, not a number
      validates("email", (_a: Author, _v) => 3);
    });
    expectTypeOf(validates("email", (_a: Author, v) => v)).not.toBeAny();
    validates(["firstName", "lastName"], (_a: Author, v, key) => (key === "firstName" ? v.trim() : v));
    typeOnly(() => {
      // @ts-expect-error every key must be an attribute
      validates(["firstName", "nickname"], (_a: Author, v) => v);
    });
  });
});
