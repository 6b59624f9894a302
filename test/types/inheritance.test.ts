import { describe, expectTypeOf, it } from "vitest";
import { Integer, StringType, type ColumnRef, declarativeBase, mappedColumn, select, selectinPolymorphic, withPolymorphic } from "../../src/index.ts";
import { Director, Engineer, Manager, Person } from "../fixtures/inheritance/joined-table.ts";
import { Boss, StaffMember } from "../fixtures/inheritance/single-table.ts";
import { Chef, Worker } from "../fixtures/inheritance/concrete-table.ts";
import { type First, typeOnly, value } from "./support.ts";

/** Inheritance in the types: a subclass is its parent plus its own attributes, statics and all. */
describe("types: inheritance", () => {
  it("a subclass instance has the parent's attributes and methods, and its own", () => {
    expectTypeOf<Manager["name"]>().toEqualTypeOf<string>();
    expectTypeOf<Manager["managerName"]>().toEqualTypeOf<string | null>();
    expectTypeOf<Director["budget"]>().toEqualTypeOf<number | null>();
    expectTypeOf<Director["managerName"]>().toEqualTypeOf<string | null>();
    expectTypeOf<Manager["label"]>().toEqualTypeOf<() => string>();
    expectTypeOf<Manager>().toMatchTypeOf<Person>();
    expectTypeOf<Director>().toMatchTypeOf<Manager>();
    typeOnly(() => {
      // @ts-expect-error a sibling's attribute is not there
      void value<Manager>().primaryLanguage;
      // @ts-expect-error nor on the base
      void value<Person>().managerName;
    });
  });

  it("statics: the parent's columns and the subclass's own, as SQL expressions", () => {
    expectTypeOf(Manager.managerName).toExtend<ColumnRef<string | null, "managerName">>();
    expectTypeOf(Manager.name).toExtend<ColumnRef<string, "name">>();
    expectTypeOf(Director.budget).toExtend<ColumnRef<number | null, "budget">>();
    expectTypeOf(Boss.bossName).toExtend<ColumnRef<string | null, "bossName">>();
    // @ts-expect-error the base has no subclass column
    void Person.managerName;
  });

  it("instanceof narrows a base instance to the subclass", () => {
    const person = value<Person>();
    typeOnly(() => {
      if (person instanceof Manager) expectTypeOf(person.managerName).toEqualTypeOf<string | null>();
      if (person instanceof Director) expectTypeOf(person.budget).toEqualTypeOf<number | null>();
      // @ts-expect-error not narrowed
      void person.managerName;
    });
  });

  it("the constructor takes the parent's attributes and the subclass's", () => {
    typeOnly(() => {
      new Director({ name: "x", managerName: "m", budget: 3 });
      // @ts-expect-error wrong type for an inherited attribute
      new Director({ name: 5 });
      // @ts-expect-error unknown attribute
      new Manager({ budget: 3 });
    });
  });

  it("queries of a subclass yield the subclass; withPolymorphic yields the base", () => {
    const managers = select(Manager);
    expectTypeOf<First<typeof managers>>().toEqualTypeOf<Manager>();
    const all = select(withPolymorphic(Person, [Manager, Engineer]));
    expectTypeOf<First<typeof all>>().toEqualTypeOf<Person | Manager | Engineer>();
    const every = select(withPolymorphic(Person, "*"));
    expectTypeOf<First<typeof every>>().toEqualTypeOf<Person>();
    typeOnly(() => {
      const row = value<First<typeof all>>();
      if (row instanceof Manager) expectTypeOf(row.managerName).toEqualTypeOf<string | null>();
    });
    const withOption = select(StaffMember).options(selectinPolymorphic(StaffMember, [Boss]));
    expectTypeOf<First<typeof withOption>>().toMatchTypeOf<StaffMember>();
  });

  it("a concrete subclass: its own table's columns, the parent's methods, instanceof the parent", () => {
    expectTypeOf<Chef["dish"]>().toEqualTypeOf<string | null>();
    expectTypeOf<Chef["shout"]>().toEqualTypeOf<() => string>();
    expectTypeOf<Chef>().toMatchTypeOf<Worker>();
    expectTypeOf(Chef.dish).toExtend<ColumnRef<string | null, "dish">>();
    const union = select(withPolymorphic(Worker, [Chef]));
    expectTypeOf<First<typeof union>>().toEqualTypeOf<Worker | Chef>();
    expectTypeOf(withPolymorphic(Worker, [Chef]).name).toExtend<ColumnRef<string, "name">>();
    // @ts-expect-error a relationship or method is not a column of the union
    void withPolymorphic(Worker, [Chef]).subclass;
  });

  it("declaration misuse does not compile", () => {
    const Base = declarativeBase();
    typeOnly(() => {
      Base.model(
        "things",
        { id: mappedColumn(Integer, { primaryKey: true }), kind: mappedColumn(StringType(10)) },
        // @ts-expect-error polymorphicOn names a column attribute
        { polymorphicOn: "nope" },
      );
      // @ts-expect-error polymorphicOn belongs on the base, not on a subclass
      StaffMember.subclass(null, {}, { polymorphicOn: "kind" });
    });
  });
});
