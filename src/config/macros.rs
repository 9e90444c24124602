//! `make_config!`, which turns the settings table in `mod.rs` into the
//! section structs, their defaults, `Settings`, the list of keys and the
//! one function that stores a setting's text, so that a setting is named
//! in one place only. The expansion resolves `Setting` where it is used.

/// Declares the sections, their defaults, `Settings`, the list of keys and
/// the one function that stores a setting's text, from one table.
macro_rules! make_config {
    ($(
        $(#[$section_attr:meta])*
        $section:ident: $Section:ident {
            $(
                $(#[$attr:meta])*
                $field:ident ($key:literal): $ty:ty = $default:expr;
            )+
        }
    )+) => {
        $(
            $(#[$section_attr])*
            #[derive(Debug, Clone, PartialEq)]
            pub struct $Section {
                $(
                    $(#[$attr])*
                    pub $field: $ty,
                )+
            }

            impl Default for $Section {
                fn default() -> Self {
                    $Section {
                        $( $field: $default, )+
                    }
                }
            }
        )+

        /// Every setting of the service, by section.
        #[derive(Debug, Clone, PartialEq, Default)]
        pub struct Settings {
            $( pub $section: $Section, )+
        }

        /// The file's keys, in table order.
        const KEYS: &[&str] = &[$($($key,)+)+];

        impl Settings {
            /// Parses `text` as the setting the flat `key` names and keeps it.
            fn set(&mut self, key: &str, text: &str) -> Result<(), String> {
                match key {
                    $($(
                        $key => {
                            self.$section.$field = <$ty as Setting>::parse(text)?;
                        }
                    )+)+
                    _ => return Err(format!("no setting is named {key}")),
                }
                Ok(())
            }
        }
    };
}
