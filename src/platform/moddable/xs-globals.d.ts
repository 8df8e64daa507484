// XS compile-time forms for native host code, as the Moddable SDK's xs.d.ts (8.x) declares
// them. xsc turns `Native("dtor")` into a host-object base class and `native("fn")` into a
// reference to the C function `fn`; both take exactly one string literal. mcconfig type-checks
// against the SDK's own declaration; this copy serves our checks on machines without the SDK.

/** Instances of a class extending Native(...) are host objects with C data. */
interface XsHostObject {
  readonly __xsHostObject?: never;
}

/** Base class whose instances are host objects destroyed by the named C function. */
declare function Native(destructor: string): new () => XsHostObject;

/** The C host function of that name, called as `native("fn").call(receiver, ...args)`. */
declare function native(name: string): (this: unknown, ...args: unknown[]) => unknown;
