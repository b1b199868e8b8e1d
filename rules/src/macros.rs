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

/// A coded enum with Chinese and English labels and the article it comes from.
macro_rules! coded_enum {
    ($(#[$m:meta])* $name:ident { $($v:ident = $code:literal, $zh:literal, $en:literal, $art:literal;)* }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
        pub enum $name { $($v),* }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$v),*];
            pub fn as_str(self) -> &'static str { match self { $($name::$v => $code),* } }
            pub fn label_zh(self) -> &'static str { match self { $($name::$v => $zh),* } }
            pub fn label_en(self) -> &'static str { match self { $($name::$v => $en),* } }
            /// The article the item rests on.
            pub fn article(self) -> &'static str { match self { $($name::$v => $art),* } }
        }
        impl std::str::FromStr for $name {
            type Err = ();
            fn from_str(s: &str) -> Result<Self, ()> { match s { $($code => Ok($name::$v),)* _ => Err(()) } }
        }
    };
}
