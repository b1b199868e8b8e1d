/// Gives a fieldless enum `ALL`, `as_str`, `FromStr` and `Display` from one
/// table, so the wire strings cannot drift apart between those impls.
/// (serde's `rename_all` must agree; each module tests that.)
macro_rules! str_enum {
    ($ty:ident { $($var:ident => $s:literal),+ $(,)? }) => {
        impl $ty {
            /// Every variant, in declaration order.
            pub const ALL: [$ty; [$($s),+].len()] = [$($ty::$var),+];

            /// The stable wire string (same as serde).
            pub fn as_str(&self) -> &'static str {
                match self {
                    $($ty::$var => $s),+
                }
            }
        }

        impl ::std::str::FromStr for $ty {
            type Err = $crate::ParseEnumError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($s => Ok($ty::$var),)+
                    _ => Err($crate::ParseEnumError {
                        kind: stringify!($ty),
                        value: s.to_string(),
                    }),
                }
            }
        }

        impl ::std::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
