//! `object!`: one generated type of a JSON object, declared by listing its
//! fields once.
//!
//! The generated types (`carecloud-api/src/generated/types/`) are one
//! invocation each, so a field added to a schema is one line (and its doc)
//! in one place of the generated code; everything the field needs follows
//! from that line here:
//!
//! * the struct, `#[non_exhaustive]` (a new field is not a breaking
//!   change), its fields public to read; optional ones are `Option`s, lists
//!   `Option<Vec<_>>` (`None` when the server left the field out,
//!   `Some(vec![])` when it sent `[]`, each written back as it came), plus
//!   `extra`, the fields this version does not know (an [`Extra`](crate::types::Extra): a
//!   `serde_json::Map` made only when there is one, so that an object
//!   without any stays small);
//! * `new(..)` taking the required fields in the order of the schema's
//!   `required` list, and a `with_<field>` setter per optional field;
//! * a slice accessor per list (`store.image_urls()`), empty when absent;
//! * `Serialize` and `Deserialize` written out: one pass over the JSON
//!   object, each known key straight into its field's type, any other into
//!   `extra` (serde's `flatten` would buffer every field first); absent
//!   optional fields are not written, unknown ones are written back as they
//!   came;
//! * `schemars::JsonSchema` behind the `schemars` feature (derived; the
//!   `serde` attributes it reads are emitted for it only).
//!
//! ```ignore
//! crate::wire::object! {
//!     /// A shop.
//!     pub struct Store {
//!         /// Its name (required).
//!         name: String,
//!     }
//!     optional {
//!         /// The kind of store.
//!         #[serde(rename = "type")]
//!         type_: String => with_type,
//!     }
//!     lists {
//!         /// URLs of pictures of it.
//!         image_urls: [String] => with_image_urls,
//!     }
//! }
//! ```
//!
//! A type whose fields are all optional says `#[derive(Default)]` after its
//! docs. The `cfg` of a type is written once, first in the invocation
//! (`#![cfg(feature = "stores")]`); the macro puts it on the struct and on
//! each of its impls.

// Invoked by the generated types of whichever groups are compiled (none may be).
#![cfg_attr(any(test, not(feature = "full")), allow(unused_macros))]

/// Declares a generated object type; see the [module](self) docs.
macro_rules! object {
    (
        $(#![cfg($cfg:meta)])?
        $(#[doc = $doc:literal])*
        $(#[derive($($derive:ident),+)])?
        pub struct $name:ident {
            $(
                $(#[doc = $rdoc:literal])*
                $(#[serde(rename = $rwire:literal)])?
                $req:ident : $rty:ty
            ),* $(,)?
        }
        $(optional {
            $(
                $(#[doc = $odoc:literal])*
                $(#[serde(rename = $owire:literal)])?
                $opt:ident : $oty:ty => $oset:ident
            ),* $(,)?
        })?
        $(lists {
            $(
                $(#[doc = $ldoc:literal])*
                $(#[serde(rename = $lwire:literal)])?
                $list:ident : [$lty:ty] => $lset:ident
            ),* $(,)?
        })?
    ) => { $crate::wire::cfg_items! { $(cfg($cfg))?;
        $(#[doc = $doc])*
        #[derive(Clone, Debug $($(, $derive)+)?)]
        #[cfg_attr(feature = "schemars", derive(::schemars::JsonSchema))]
        #[non_exhaustive]
        pub struct $name {
            $(
                $(#[doc = $rdoc])*
                $(#[cfg_attr(feature = "schemars", serde(rename = $rwire))])?
                pub $req: $rty,
            )*
            $($(
                $(#[doc = $odoc])*
                $(#[cfg_attr(feature = "schemars", serde(rename = $owire))])?
                pub $opt: ::std::option::Option<$oty>,
            )*)?
            $($(
                $(#[doc = $ldoc])*
                $(#[cfg_attr(feature = "schemars", serde(rename = $lwire))])?
                pub $list: ::std::option::Option<::std::vec::Vec<$lty>>,
            )*)?
            /// The fields this version of the crate does not know, as the
            /// server sent them; they are written back unchanged.
            #[cfg_attr(feature = "schemars", serde(flatten))]
            pub extra: $crate::wire::Extra,
        }

        impl $name {
            #[doc = concat!(
                "A `", stringify!($name), "` with the required fields given here, in the order ",
                "of the schema's `required` list, and every optional field empty (set those ",
                "with the `with_` methods)."
            )]
            pub fn new($($req: impl ::std::convert::Into<$rty>),*) -> Self {
                Self {
                    $($req: $req.into(),)*
                    $($($opt: ::std::option::Option::None,)*)?
                    $($($list: ::std::option::Option::None,)*)?
                    extra: $crate::wire::Extra::new(),
                }
            }

            $($(
                #[doc = concat!("This value with `", stringify!($opt), "` set (see the field).")]
                pub fn $oset(mut self, value: impl ::std::convert::Into<$oty>) -> Self {
                    self.$opt = ::std::option::Option::Some(value.into());
                    self
                }
            )*)?

            $($(
                #[doc = concat!("This value with the list `", stringify!($list), "` set (see the field).")]
                pub fn $lset(
                    mut self,
                    items: impl ::std::iter::IntoIterator<Item: ::std::convert::Into<$lty>>,
                ) -> Self {
                    self.$list = ::std::option::Option::Some(
                        items.into_iter().map(::std::convert::Into::into).collect(),
                    );
                    self
                }

                #[doc = concat!(
                    "`", stringify!($list), "` as a slice: empty when the server left it out ",
                    "or sent `[]`. The field tells the two apart (`None` or `Some(vec![])`), ",
                    "and each is written back as it came."
                )]
                pub fn $list(&self) -> &[$lty] {
                    self.$list.as_deref().unwrap_or_default()
                }
            )*)?
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                use ::serde::ser::SerializeMap as _;
                let mut map = serializer.serialize_map(::std::option::Option::None)?;
                $(
                    map.serialize_entry($crate::wire::wire_name!($req $($rwire)?), &self.$req)?;
                )*
                $($(
                    $crate::wire::ser::some(
                        &mut map,
                        $crate::wire::wire_name!($opt $($owire)?),
                        &self.$opt,
                    )?;
                )*)?
                $($(
                    $crate::wire::ser::some(
                        &mut map,
                        $crate::wire::wire_name!($list $($lwire)?),
                        &self.$list,
                    )?;
                )*)?
                $crate::wire::ser::entries(&mut map, &self.extra)?;
                map.end()
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                struct Visitor;

                impl<'de> ::serde::de::Visitor<'de> for Visitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(concat!("a ", stringify!($name), " object"))
                    }

                    // Inlined into serde_json's `deserialize_map`, so that
                    // each key is not an out-of-line call (docs/benchmarks.md).
                    #[inline]
                    fn visit_map<A: ::serde::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> ::std::result::Result<$name, A::Error> {
                        $(let mut $req: ::std::option::Option<$rty> = ::std::option::Option::None;)*
                        $($(let mut $opt: ::std::option::Option<$oty> = ::std::option::Option::None;)*)?
                        $($(
                            let mut $list: ::std::option::Option<::std::vec::Vec<$lty>> =
                                ::std::option::Option::None;
                        )*)?
                        // Allocated by `keep` on the first unknown field only.
                        let mut extra = $crate::wire::Extra::new();
                        while let ::std::option::Option::Some(key) =
                            map.next_key::<$crate::wire::Key<'de>>()?
                        {
                            match key.as_str() {
                                $(
                                    $crate::wire::wire_name!($req $($rwire)?) => {
                                        $req = ::std::option::Option::Some(map.next_value()?)
                                    }
                                )*
                                // `null` is `None`, like an absent field.
                                $($(
                                    $crate::wire::wire_name!($opt $($owire)?) => {
                                        $opt = map.next_value()?
                                    }
                                )*)?
                                $($(
                                    $crate::wire::wire_name!($list $($lwire)?) => {
                                        $list = map.next_value()?
                                    }
                                )*)?
                                _ => $crate::wire::de::keep(&mut map, &mut extra, key)?,
                            }
                        }
                        ::std::result::Result::Ok($name {
                            $($req: $crate::wire::de::required(
                                $req,
                                $crate::wire::wire_name!($req $($rwire)?),
                            )?,)*
                            $($($opt,)*)?
                            $($($list,)*)?
                            extra,
                        })
                    }
                }

                deserializer.deserialize_map(Visitor)
            }
        }
    } };
}

/// Puts `#[cfg(..)]` (when given) on each of the items: a type's `cfg`,
/// written once on its `object!` or `open_enum!` invocation (`#![cfg(..)]`),
/// goes on the type and on every impl the macro writes for it, where
/// rustdoc sees it (the feature badges on docs.rs) and the compiler drops
/// them together.
macro_rules! cfg_items {
    (cfg($cfg:meta); $($item:item)*) => {
        $(#[cfg($cfg)] $item)*
    };
    (; $($item:item)*) => {
        $($item)*
    };
}

/// The name of a field on the wire: its `rename`, else the field's name.
macro_rules! wire_name {
    ($field:ident) => {
        stringify!($field)
    };
    ($field:ident $wire:literal) => {
        $wire
    };
}

pub(crate) use {cfg_items, object, wire_name};
